package io.dpuvirt.systest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hypervisor processes of a test's daemon, found by pid: those whose command line names a file under the
 * daemon's root (their monitor socket). A test kills them by pid when it ends, passed or failed, since a daemon
 * that stops leaves its guests running on purpose.
 */
final class GuestProcesses {
    private static final Path PROC = Path.of("/proc");

    private GuestProcesses() {
    }

    static List<Long> under(Path root) throws IOException {
        return matching(root.toString() + "/");
    }

    /** The processes whose command line contains {@code marker} (besides a daemon's JVM). */
    static List<Long> matching(String marker) throws IOException {
        List<Long> pids = new ArrayList<>();
        try (Stream<Path> entries = Files.list(PROC)) {
            for (Path entry : entries.toList()) {
                String name = entry.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(entry.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker) && !cmdline.contains("VirtdMain")) {
                        pids.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // it ended while the list was read
                }
            }
        }
        return pids;
    }

    /** SIGKILL to each, then waits (at most 10 s) until they are gone; returns how many there were. */
    static int killAll(Path root) throws IOException, InterruptedException {
        return killMatching(root.toString() + "/");
    }

    /** SIGKILL to each process {@link #matching} {@code marker}, then waits as {@link #killAll} does. */
    static int killMatching(String marker) throws IOException, InterruptedException {
        List<Long> pids = matching(marker);
        for (long pid : pids) {
            ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        }
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!matching(marker).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        return pids.size();
    }

    /** The threads of process {@code pid} named {@code CPU N/TCG} (QEMU's vCPU threads), and the CPUs each may run on. */
    static List<String> vcpuAffinities(long pid) throws IOException {
        List<String> result = new ArrayList<>();
        try (Stream<Path> tasks = Files.list(PROC.resolve(Long.toString(pid)).resolve("task"))) {
            for (Path task : tasks.sorted().toList()) {
                String comm = Files.readString(task.resolve("comm")).strip();
                if (comm.startsWith("CPU ")) {
                    String allowed = Files.readAllLines(task.resolve("status")).stream()
                            .filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                            .substring("Cpus_allowed_list:".length()).strip();
                    result.add(comm + " " + allowed);
                }
            }
        }
        result.sort(null);
        return result;
    }
}
