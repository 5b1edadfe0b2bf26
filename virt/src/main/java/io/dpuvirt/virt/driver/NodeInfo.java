package io.dpuvirt.virt.driver;

/** libvirt's {@code virNodeInfo}: the CPU model (at most 31 characters), memory in KiB, the CPU topology. */
public record NodeInfo(String model, long memoryKiB, int cpus, int mhz, int nodes, int sockets, int cores,
                       int threads) {
}
