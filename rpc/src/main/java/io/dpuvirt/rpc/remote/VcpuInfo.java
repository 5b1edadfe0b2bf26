package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

/** {@code remote_vcpu_info}: vCPU number, {@code virVcpuState}, cpu time (ns), host cpu (-1 if offline). */
public record VcpuInfo(int number, int state, long cpuTimeNs, int cpu) implements XdrWritable {
    @Override
    public void encode(XdrEncoder out) {
        out.writeUnsignedInt(number).writeInt(state).writeUnsignedHyper(cpuTimeNs).writeInt(cpu);
    }

    public static VcpuInfo decode(XdrDecoder in) {
        return new VcpuInfo(in.readUnsignedInt(), in.readInt(), in.readUnsignedHyper(), in.readInt());
    }
}
