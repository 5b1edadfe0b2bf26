package io.dpuvirt.rpc.xdr;

/** Decodes one value of type {@code T}; record types expose theirs as {@code Record::decode}. */
@FunctionalInterface
public interface XdrReader<T> {
    T read(XdrDecoder in);
}
