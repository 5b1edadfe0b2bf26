package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_domain_get_control_info_ret}: {@code virDomainControlState}, details, ms in that state. */
public record DomainGetControlInfoRet(int state, int details, long stateTimeMs) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeUnsignedInt(state).writeUnsignedInt(details).writeUnsignedHyper(stateTimeMs);
    }

    public static DomainGetControlInfoRet decode(XdrDecoder in) {
        return new DomainGetControlInfoRet(in.readUnsignedInt(), in.readUnsignedInt(), in.readUnsignedHyper());
    }
}
