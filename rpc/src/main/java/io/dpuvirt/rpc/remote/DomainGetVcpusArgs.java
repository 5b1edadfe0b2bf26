package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_domain_get_vcpus_args}: at most {@code maxinfo} vCPUs, {@code maplen} cpumap bytes each. */
public record DomainGetVcpusArgs(NonnullDomain dom, int maxinfo, int maplen) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        dom.encode(out);
        out.writeInt(maxinfo).writeInt(maplen);
    }

    public static DomainGetVcpusArgs decode(XdrDecoder in) {
        return new DomainGetVcpusArgs(NonnullDomain.decode(in), in.readInt(), in.readInt());
    }
}
