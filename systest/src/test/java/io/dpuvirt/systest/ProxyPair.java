package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Two real udsproxyd processes, one per side of a test bed, with their key, whitelists and logs. */
final class ProxyPair implements AutoCloseable {
    static final int PORT = 12121;

    private final TestBed bed;
    private final Path logs;
    private final Path key;
    private final Map<Side.Role, Process> daemons = new EnumMap<>(Side.Role.class);
    private final Map<Side.Role, Integer> starts = new EnumMap<>(Side.Role.class);

    ProxyPair(TestBed bed, Path logs) throws IOException {
        this.bed = bed;
        this.logs = logs;
        this.key = writeKey(logs.resolve("link.key"));
    }

    static Path writeKey(Path file) throws IOException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        Files.write(file, secret);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return file;
    }

    Path key() {
        return key;
    }

    /** Writes {@code /etc/qtfs/whitelist} (mode 0600) on {@code side}. */
    void whitelist(Side side, String content) throws IOException {
        side.shell("mkdir -p /etc/qtfs && cat > /etc/qtfs/whitelist <<'END'\n" + content + "END\nchmod 600 /etc/qtfs/whitelist");
    }

    /** Starts udsproxyd on {@code side} with the shared key plus {@code options}. */
    Process start(Side side, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Project.bin("udsproxyd"), "--key", key.toString()));
        command.addAll(List.of(options));
        return startRaw(side, command);
    }

    /** Starts udsproxyd on {@code side} with exactly these options (no key added). */
    Process startRaw(Side side, List<String> options) throws IOException {
        Side peer = side.role() == Side.Role.HOST ? bed.dpu() : bed.host();
        List<String> command = new ArrayList<>(options);
        if (!command.getFirst().equals(Project.bin("udsproxyd"))) {
            command.addFirst(Project.bin("udsproxyd"));
        }
        command.addAll(List.of("1", side.address(), String.valueOf(PORT), peer.address(), String.valueOf(PORT)));
        int start = starts.merge(side.role(), 1, Integer::sum);
        Path log = logs.resolve(side.role().name().toLowerCase() + "-udsproxyd-" + start + ".log");
        Process process = side.processBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        daemons.put(side.role(), process);
        return process;
    }

    void startBoth() throws IOException {
        start(bed.host());
        start(bed.dpu());
    }

    String status(Side side) throws IOException {
        CommandResult result = side.run(Duration.ofSeconds(10), Project.bin("udsproxyd"), "--status");
        return result.stdout() + result.stderr();
    }

    void awaitLinkUp() throws Exception {
        await("link up on both sides", () -> status(bed.host()).contains("link: up") && status(bed.dpu()).contains("link: up"));
    }

    /** All log output of {@code side}'s daemons so far. */
    String log(Side side) throws IOException {
        StringBuilder all = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.filter(p -> p.getFileName().toString().startsWith(side.role().name().toLowerCase() + "-udsproxyd")).sorted().toList()) {
                all.append(Files.readString(file));
            }
        }
        return all.toString();
    }

    Process daemon(Side side) {
        return daemons.get(side.role());
    }

    void kill9(Side side) throws Exception {
        Process process = daemons.get(side.role());
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    /** SIGTERM, as a service manager stops it; returns its exit status. */
    int stop(Side side) throws Exception {
        Process process = daemons.get(side.role());
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            throw new AssertionError(side + " udsproxyd did not stop on SIGTERM");
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        for (Process process : daemons.values()) {
            process.destroyForcibly();
        }
    }

    /** Polls {@code condition} every 20 ms for up to 20 s (a generous bound, not a timing assertion). */
    static void await(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    /** A condition that may need I/O to check. */
    @FunctionalInterface
    interface Check {
        boolean holds() throws Exception;
    }
}
