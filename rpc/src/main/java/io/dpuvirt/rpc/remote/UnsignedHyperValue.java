package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * One {@code unsigned hyper}: the rets of CONNECT_GET_VERSION {hv_ver} and CONNECT_GET_LIB_VERSION
 * {lib_ver}. Versions are {@code major * 1,000,000 + minor * 1,000 + release}.
 */
public record UnsignedHyperValue(long value) implements XdrWritable {
    public static UnsignedHyperValue version(int major, int minor, int release) {
        return new UnsignedHyperValue(major * 1_000_000L + minor * 1_000L + release);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeUnsignedHyper(value);
    }

    public static UnsignedHyperValue decode(XdrDecoder in) {
        return new UnsignedHyperValue(in.readUnsignedHyper());
    }
}
