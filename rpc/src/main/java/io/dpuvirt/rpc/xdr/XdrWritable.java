package io.dpuvirt.rpc.xdr;

/** A structure that knows its own XDR encoding; every args/ret record implements it. */
@FunctionalInterface
public interface XdrWritable {
    void encode(XdrEncoder out);

    /** Encodes this structure alone into a new array. */
    default byte[] toXdr() {
        XdrEncoder out = new XdrEncoder();
        encode(out);
        return out.toByteArray();
    }
}
