package io.dpuvirt.virt.conf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** {@code <cputune>}: which host CPUs each vCPU, and the emulator threads, may run on. */
public record CpuTune(List<VcpuPin> vcpuPins, Optional<CpuSet> emulatorPin, Extensions extensions) {
    /** {@code <vcpupin vcpu='0' cpuset='24'/>}; vCPUs count from 0. */
    public record VcpuPin(int vcpu, CpuSet cpuset) {
        public VcpuPin {
            Objects.requireNonNull(cpuset, "cpuset");
        }
    }

    public CpuTune {
        vcpuPins = List.copyOf(vcpuPins);
        Objects.requireNonNull(emulatorPin, "emulatorPin");
        Objects.requireNonNull(extensions, "extensions");
    }
}
