package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_domain_get_scheduler_type_ret}: the scheduler's name and how many parameters it has. */
public record DomainGetSchedulerTypeRet(String type, int nparams) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeString(type, RemoteProgram.STRING_MAX);
        out.writeInt(nparams);
    }

    public static DomainGetSchedulerTypeRet decode(XdrDecoder in) {
        return new DomainGetSchedulerTypeRet(in.readString(RemoteProgram.STRING_MAX), in.readInt());
    }
}
