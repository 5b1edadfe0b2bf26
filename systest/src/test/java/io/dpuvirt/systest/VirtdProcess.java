package io.dpuvirt.systest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** bin/virtd as a process of its own, with its socket and root in a test's directory. */
final class VirtdProcess implements AutoCloseable {
    private static final Duration START_TIMEOUT = Duration.ofSeconds(30);

    private final Path socket;
    private final Path root;
    private final Path log;
    private final List<String> extraArguments;
    private Process process;

    private VirtdProcess(Path directory, Path log, List<String> extraArguments) {
        this.socket = directory.resolve("virtd-sock");
        this.root = directory.resolve("root");
        this.log = log;
        this.extraArguments = List.copyOf(extraArguments);
    }

    static VirtdProcess start(Path directory, Path log, String... extraArguments) throws IOException, InterruptedException {
        VirtdProcess virtd = new VirtdProcess(directory, log, List.of(extraArguments));
        virtd.launch();
        return virtd;
    }

    /** Starts (again) on the same socket and root; returns once it listens. */
    void launch() throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Project.bin("virtd"), "--socket", socket.toString(),
                "--root", root.toString()));
        command.addAll(extraArguments);
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

    // ---- qemu and stratovirt drivers (issue 4)
    /** The URI of {@code driver}'s system connection on this daemon's socket: {@code qemu+unix:///system?socket=…}. */
    String systemUri(String driver) {
        return driver + "+unix:///system?socket=" + socket;
    }
    // ---- end of qemu and stratovirt drivers

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
