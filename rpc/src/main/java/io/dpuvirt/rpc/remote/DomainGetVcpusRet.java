package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/** {@code remote_domain_get_vcpus_ret}: the vCPUs and their cpumaps, {@code maplen} bytes per vCPU. */
public record DomainGetVcpusRet(List<VcpuInfo> info, byte[] cpumaps) implements XdrWritable {
    public DomainGetVcpusRet {
        info = List.copyOf(info);
        cpumaps = cpumaps.clone();
    }

    @Override
    public byte[] cpumaps() {
        return cpumaps.clone();
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeArray(info, RemoteProgram.VCPUINFO_MAX, (o, v) -> v.encode(o));
        out.writeOpaque(cpumaps, RemoteProgram.CPUMAPS_MAX);
    }

    public static DomainGetVcpusRet decode(XdrDecoder in) {
        return new DomainGetVcpusRet(in.readArray(RemoteProgram.VCPUINFO_MAX, VcpuInfo::decode),
                in.readOpaque(RemoteProgram.CPUMAPS_MAX));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof DomainGetVcpusRet that && info.equals(that.info) && Arrays.equals(cpumaps, that.cpumaps);
    }

    @Override
    public int hashCode() {
        return 31 * info.hashCode() + Arrays.hashCode(cpumaps);
    }

    @Override
    public String toString() {
        return "DomainGetVcpusRet[info=" + info + ", cpumaps=" + HexFormat.of().formatHex(cpumaps) + "]";
    }
}
