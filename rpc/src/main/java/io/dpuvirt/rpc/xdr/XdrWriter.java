package io.dpuvirt.rpc.xdr;

/** Encodes one value of type {@code T}, for the elements of arrays and optional values. */
@FunctionalInterface
public interface XdrWriter<T> {
    void write(XdrEncoder out, T value);
}
