package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * Every struct of one {@code remote_nonnull_domain}: the args of CREATE, DESTROY, SUSPEND, RESUME,
 * SHUTDOWN, UNDEFINE, GET_INFO, GET_OS_TYPE, GET_AUTOSTART, GET_MAX_VCPUS, GET_SCHEDULER_TYPE,
 * GET_SECURITY_LABEL(_LIST), GET_JOB_INFO, IS_ACTIVE, IS_PERSISTENT; the rets of the three LOOKUPs,
 * DEFINE_XML(_FLAGS), CREATE_XML and CREATE_WITH_FLAGS.
 */
public record DomainValue(NonnullDomain dom) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        dom.encode(out);
    }

    public static DomainValue decode(XdrDecoder in) {
        return new DomainValue(NonnullDomain.decode(in));
    }
}
