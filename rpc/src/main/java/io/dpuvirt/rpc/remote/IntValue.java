package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * Every struct of one {@code int}: {@code remote_connect_supports_feature_args {feature}} and
 * {@code _ret {supported}}, {@code remote_domain_lookup_by_id_args {id}}, the {@code {num}} of the
 * NUM_OF and GET_MAX_VCPUS rets, {@code {active}}, {@code {persistent}}, {@code {autostart}},
 * {@code {result}} of HAS_MANAGED_SAVE_IMAGE, and the {@code {maxids}}/{@code {maxnames}} list args.
 */
public record IntValue(int value) implements XdrWritable {
    public static IntValue of(boolean flag) {
        return new IntValue(flag ? 1 : 0);
    }

    /** For the C booleans (supported, active, persistent, autostart): non-zero is true. */
    public boolean isTrue() {
        return value != 0;
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(value);
    }

    public static IntValue decode(XdrDecoder in) {
        return new IntValue(in.readInt());
    }
}
