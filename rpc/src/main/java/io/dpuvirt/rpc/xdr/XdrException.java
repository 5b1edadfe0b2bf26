package io.dpuvirt.rpc.xdr;

/**
 * Bytes that do not decode as the expected XDR structure (truncated, a length over its limit, a bad
 * boolean), or a value that cannot be encoded within its protocol limit. Unchecked, because record
 * decoders are passed around as {@link XdrReader} lambdas.
 */
public final class XdrException extends RuntimeException {
    public XdrException(String message) {
        super(message);
    }
}
