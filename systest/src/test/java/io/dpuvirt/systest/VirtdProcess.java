package io.dpuvirt.systest;

import io.dpuvirt.testbed.Side;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * bin/virtd as a process of its own: with its socket and root in a test's directory, or on a side of the test bed
 * with its socket at a given path and root / (that side's private directories).
 */
final class VirtdProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final Path root;
    private final Path log;
    private final List<String> extraArguments;
    private final Optional<Side> side;
    private Process process;

    private VirtdProcess(Path socket, Path root, Path log, List<String> extraArguments, Optional<Side> side) {
        this.socket = socket;
        this.root = root;
        this.log = log;
        this.extraArguments = List.copyOf(extraArguments);
        this.side = side;
    }

    static VirtdProcess start(Path directory, Path log, String... extraArguments) throws IOException, InterruptedException {
        VirtdProcess virtd = new VirtdProcess(directory.resolve("virtd-sock"), directory.resolve("root"), log,
                List.of(extraArguments), Optional.empty());
        virtd.launch();
        return virtd;
    }

    /** bin/virtd on {@code side} (root /), listening on {@code socket}, that side's path. */
    static VirtdProcess startOn(Side side, Path socket, Path log, String... extraArguments) throws IOException, InterruptedException {
        VirtdProcess virtd = new VirtdProcess(socket, Path.of("/"), log, List.of(extraArguments), Optional.of(side));
        virtd.launch();
        return virtd;
    }

    /** Starts (again) on the same socket and root; returns once it listens. */
    void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Project.bin("virtd"), "--socket", socket.toString(),
                "--root", root.toString()));
        command.addAll(extraArguments);
        if (side.isPresent()) {
            command = side.get().command(command);
        }
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (!newLog(logStart).contains(" listening on ")) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new AssertionError("virtd did not start (" + (process.isAlive() ? "timeout" : "exit "
                        + process.waitFor()) + "); its log:\n" + newLog(logStart));
            }
            Thread.sleep(20);
        }
    }

    String uri() {
        return "test+unix:///default?socket=" + socket;
    }

    /** The URI of {@code driver}'s system connection on this daemon's socket: {@code qemu+unix:///system?socket=…}. */
    String systemUri(String driver) {
        return driver + "+unix:///system?socket=" + socket;
    }

    Path socket() {
        return socket;
    }

    Path root() {
        return root;
    }

    long pid() {
        return process.pid();
    }

    /** SIGTERM, as a service manager stops it; returns its exit status. */
    int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(20, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("virtd did not stop within 20 s of SIGTERM");
        }
        return process.exitValue();
    }

    /** SIGKILL: no clean-up at all. */
    void kill9() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    String log() throws IOException {
        return Files.readString(log, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private String newLog(long from) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        byte[] bytes = Files.readAllBytes(log);
        return new String(bytes, (int) Math.min(from, bytes.length), bytes.length - (int) Math.min(from, bytes.length),
                StandardCharsets.UTF_8);
    }
}
