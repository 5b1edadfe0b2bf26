package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code remote_domain_get_info_ret}: {@code unsigned char state} and {@code unsigned short nrVirtCpu}
 * each take a full 4-byte unit (rpcgen), so the struct is 4 + 8 + 8 + 4 + 8 = 32 bytes. Memory is in
 * KiB, cpu time in nanoseconds; state is a {@code virDomainState}.
 */
public record DomainGetInfoRet(int state, long maxMemKiB, long memoryKiB, int nrVirtCpu, long cpuTimeNs)
        implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeUnsignedChar(state)
                .writeUnsignedHyper(maxMemKiB)
                .writeUnsignedHyper(memoryKiB)
                .writeUnsignedShort(nrVirtCpu)
                .writeUnsignedHyper(cpuTimeNs);
    }

    public static DomainGetInfoRet decode(XdrDecoder in) {
        return new DomainGetInfoRet(in.readUnsignedChar(), in.readUnsignedHyper(), in.readUnsignedHyper(),
                in.readUnsignedShort(), in.readUnsignedHyper());
    }
}
