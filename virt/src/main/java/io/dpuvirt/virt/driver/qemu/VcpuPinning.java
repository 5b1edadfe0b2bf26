package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.CpuSet;
import io.dpuvirt.virt.conf.CpuTune;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.qmp.VcpuThread;

import java.io.IOException;
import java.util.BitSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where each vCPU thread may run: its {@code <vcpupin>}, else the {@code <vcpu cpuset>} every vCPU shares,
 * else anywhere (nothing is set). Applied through the {@link Host}, so that it pins the threads of a
 * hypervisor on the other side of a DPU link too (the seeds' libvirt needed {@code rexec taskset} for it).
 */
record VcpuPinning(Map<Integer, CpuSet> pins) {
    VcpuPinning {
        pins = Map.copyOf(pins);
    }

    static VcpuPinning of(DomainConfig config) {
        Map<Integer, CpuSet> pins = new LinkedHashMap<>();
        Optional<CpuSet> shared = config.vcpu().cpuset();
        for (int vcpu = 0; vcpu < config.vcpu().count(); vcpu++) {
            int index = vcpu;
            config.cputune().stream().flatMap(tune -> tune.vcpuPins().stream())
                    .filter(pin -> pin.vcpu() == index).map(CpuTune.VcpuPin::cpuset).findFirst()
                    .or(() -> shared).ifPresent(set -> pins.put(index, set));
        }
        return new VcpuPinning(pins);
    }

    boolean isEmpty() {
        return pins.isEmpty();
    }

    /** Pins each listed thread whose vCPU has CPUs set; fails naming the vCPU, its thread and the CPUs. */
    void apply(List<VcpuThread> threads, HostProcess process) throws IOException {
        for (VcpuThread thread : threads) {
            CpuSet set = pins.get(thread.vcpu());
            if (set == null) {
                continue;
            }
            BitSet cpus = set.cpus();
            try {
                process.setAffinity(thread.threadId(), cpus);
            } catch (IOException e) {
                throw new IOException("cannot pin vCPU " + thread.vcpu() + " (thread " + thread.threadId()
                        + ") to CPUs " + set + ": " + e.getMessage(), e);
            }
        }
    }

}
