package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code void}: the args or ret of a procedure that has none; encodes to nothing. */
public record Empty() implements XdrWritable {
    public static final Empty INSTANCE = new Empty();

    @Override
    public void encode(XdrEncoder out) {
        // void has no bytes
    }

    public static Empty decode(XdrDecoder in) {
        return INSTANCE;
    }
}
