package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.host.Host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * The host as {@code virsh nodeinfo}, {@code hostname} and the capabilities describe it, read from its
 * /proc through the {@link Host} (so the HOST's, not the DPU's, once the daemon is offloaded): name,
 * architecture, CPUs and their clock, memory. Topology is reported flat: one NUMA node, one socket, one
 * thread a core.
 */
final class NodeProbe {
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");
    private static final Path ARCH = Path.of("/proc/sys/kernel/arch");
    private static final Path CPUINFO = Path.of("/proc/cpuinfo");
    private static final Path MEMINFO = Path.of("/proc/meminfo");

    private final Host host;

    NodeProbe(Host host) {
        this.host = host;
    }

    String hostname() {
        return read(HOSTNAME).strip();
    }

    String arch() {
        return read(ARCH).strip();
    }

    NodeInfo nodeInfo() {
        List<String> cpuinfo = read(CPUINFO).lines().toList();
        int cpus = (int) cpuinfo.stream().filter(line -> line.startsWith("processor")).count();
        int mhz = cpuinfo.stream().filter(line -> line.startsWith("cpu MHz")).findFirst()
                .map(line -> (int) Double.parseDouble(line.substring(line.indexOf(':') + 1).strip())).orElse(0);
        long memoryKiB = read(MEMINFO).lines().filter(line -> line.startsWith("MemTotal:")).findFirst()
                .map(line -> Long.parseLong(line.replaceAll("[^0-9]", ""))).orElse(0L);
        return new NodeInfo(arch(), memoryKiB, cpus, mhz, 1, 1, cpus, 1);
    }

    private String read(Path file) {
        try {
            return new String(host.readFile(file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + " on the host", e);
        }
    }
}
