package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** {@code <vcpu placement='static' cpuset='…'>count</vcpu>}: how many vCPUs and where they may run. */
public record VcpuConfig(int count, Optional<Placement> placement, Optional<CpuSet> cpuset) {
    public enum Placement implements XmlEnum { STATIC, AUTO }

    /** What libvirt assumes when the element is missing. */
    public static final VcpuConfig DEFAULT = new VcpuConfig(1, Optional.empty(), Optional.empty());

    public VcpuConfig {
        Objects.requireNonNull(placement, "placement");
        Objects.requireNonNull(cpuset, "cpuset");
    }

    public VcpuConfig withPlacement(Placement newPlacement) {
        return new VcpuConfig(count, Optional.of(newPlacement), cpuset);
    }
}
