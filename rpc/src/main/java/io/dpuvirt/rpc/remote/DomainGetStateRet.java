package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_domain_get_state_ret}: a {@code virDomainState} and its state-specific reason. */
public record DomainGetStateRet(int state, int reason) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeInt(state).writeInt(reason);
    }

    public static DomainGetStateRet decode(XdrDecoder in) {
        return new DomainGetStateRet(in.readInt(), in.readInt());
    }
}
