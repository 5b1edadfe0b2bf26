package io.dpuvirt.virt.driver;

/** libvirt's {@code virDomainInfo}: memory in KiB, CPU time in nanoseconds (0 when not running). */
public record DomainInfo(DomainState state, long maxMemoryKiB, long memoryKiB, int vcpus, long cpuTimeNs) {
}
