package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.linux.WindowSize;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * rexec_server and the Java client API in this JVM, on a unix socket in a temporary directory: everything a program
 * started through it sees, and what happens when its client, or the server, goes away. (The same across the test
 * bed, through the real tools and udsproxyd, is in systest.) Nothing in this class may start processes another way:
 * the server reaps every child of the JVM.
 */
class RexecServerTest {
    private static final Duration GRACE = Duration.ofMillis(300);

    @TempDir
    Path dir;
    private Path socket;
    private Path whitelist;
    private RexecServer server;
    private RexecClient client;
    private final List<RemoteProcess> started = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("rexec.sock");
        whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, String.join("\n", "/bin/sh", "/bin/cat", "/usr/bin/printf", "/usr/bin/env", "/bin/sleep",
                "/bin/true", "/usr/bin/yes", "/usr/bin/head") + "\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        server = RexecServer.start(new RexecServerConfig(socket, whitelist, false, GRACE));
        client = new RexecClient(socket);
    }

    @AfterEach
    void stop() {
        started.forEach(RemoteProcess::close);
        if (server != null) {
            server.close();
        }
    }

    private RemoteProcess start(SpawnRequest request) throws IOException {
        RemoteProcess process = client.start(request);
        started.add(process);
        return process;
    }

    private RemoteProcess sh(String script, String... arguments) throws IOException {
        List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", script, "sh"));
        argv.addAll(List.of(arguments));
        return start(SpawnRequest.of(argv.toArray(String[]::new)));
    }

    /** Runs to the end with {@code stdin}: stdout, stderr, status. */
    private record Result(byte[] stdout, String stderr, ExitStatus status) {
        String text() {
            return new String(stdout, StandardCharsets.UTF_8);
        }
    }

    private Result run(SpawnRequest request, byte[] stdin) throws Exception {
        RemoteProcess process = start(request);
        try (ExecutorService io = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<byte[]> out = io.submit(() -> process.stdout().readAllBytes());
            Future<byte[]> err = io.submit(() -> process.stderr().readAllBytes());
            io.submit((Callable<Void>) () -> {
                try (var in = process.stdin()) {
                    in.write(stdin);
                }
                return null;
            });
            return new Result(out.get(), new String(err.get(), StandardCharsets.UTF_8), process.waitFor());
        }
    }

    private static BufferedReader lines(RemoteProcess process) {
        return new BufferedReader(new InputStreamReader(process.stdout(), StandardCharsets.UTF_8));
    }

    /** Waits (generously, this is no timing assertion) until {@code pid} has ended and was reaped. */
    private static void awaitGone(long pid) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (Files.exists(Path.of("/proc", Long.toString(pid)))) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("pid " + pid + " still exists");
            }
            Thread.sleep(10);
        }
    }

    @Test
    void argumentsArriveByteForByte() throws Exception {
        byte[] notUtf8 = {'x', (byte) 0xff, (byte) 0xc3, '(', 'y'};
        SpawnRequest request = SpawnRequest.of(List.of(ByteString.of("/usr/bin/printf"), ByteString.of("[%s]"), ByteString.of("two words"),
                ByteString.EMPTY, ByteString.of("q\"uo'te\\"), ByteString.of(notUtf8), ByteString.of("$HOME `x` *")));
        Result result = run(request, new byte[0]);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes("[two words][][q\"uo'te\\][".getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(notUtf8);
        expected.writeBytes("][$HOME `x` *]".getBytes(StandardCharsets.UTF_8));
        assertThat(result.stdout()).isEqualTo(expected.toByteArray());
        assertThat(result.status()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void stdinEndOfFileIsDeliveredAndBinaryDataSurvivesBothWays() throws Exception {
        assertThat(run(SpawnRequest.of("/bin/cat"), "hi\n".getBytes()).text()).isEqualTo("hi\n");
        assertThat(run(SpawnRequest.of("/bin/cat"), new byte[0]).stdout()).isEmpty();

        byte[] data = new byte[8 * 1024 * 1024 + 123]; // far beyond the stdin window and the pipe buffers
        new Random(42).nextBytes(data);
        Result echoed = run(SpawnRequest.of("/bin/cat"), data);
        assertThat(echoed.stdout()).isEqualTo(data);
        assertThat(echoed.status()).isEqualTo(ExitStatus.exited(0));

        // a program that stops reading early: the server gets EPIPE (never SIGPIPE), drops the rest, and goes on
        Result head = run(SpawnRequest.of("/usr/bin/head", "-c", "5"), data);
        assertThat(head.stdout()).isEqualTo(java.util.Arrays.copyOf(data, 5));
        assertThat(head.status()).isEqualTo(ExitStatus.exited(0));
        assertThat(run(SpawnRequest.of("/bin/true"), new byte[0]).status()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void stdoutAndStderrStaySeparate() throws Exception {
        Result result = run(SpawnRequest.of("/bin/sh", "-c", "echo out; echo err >&2; echo out2"), new byte[0]);
        assertThat(result.text()).isEqualTo("out\nout2\n");
        assertThat(result.stderr()).isEqualTo("err\n");
    }

    @Test
    void exitStatusesAndDeathBySignal() throws Exception {
        assertThat(run(SpawnRequest.of("/bin/sh", "-c", "exit 42"), new byte[0]).status()).isEqualTo(ExitStatus.exited(42));
        ExitStatus killed = run(SpawnRequest.of("/bin/sh", "-c", "kill -KILL $$"), new byte[0]).status();
        assertThat(killed).isEqualTo(ExitStatus.killed(9));
        assertThat(killed.shellStatus()).isEqualTo(137);
    }

    @Test
    void signalsReachTheProgram() throws Exception {
        for (String name : List.of("TERM", "INT", "HUP", "QUIT", "USR1", "USR2", "WINCH", "CONT")) {
            RemoteProcess process = sh("trap 'echo got " + name + "; exit 3' " + name + "; echo ready; while :; do sleep 0.02; done");
            BufferedReader out = lines(process);
            assertThat(out.readLine()).isEqualTo("ready");
            process.signal(Signals.number(name));
            assertThat(out.readLine()).isEqualTo("got " + name);
            assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(3));
        }
        RemoteProcess sleeper = start(SpawnRequest.of("/bin/sleep", "100"));
        sleeper.kill();
        assertThat(sleeper.waitFor()).isEqualTo(ExitStatus.killed(9));
    }

    @Test
    void aTerminalHasTheRequestedSizeAndFollowsResizes() throws Exception {
        RemoteProcess process = start(SpawnRequest.of("/bin/sh", "-c",
                        "tty; stty size; trap 'stty size; exit 0' WINCH; echo ready; while :; do sleep 0.02; done")
                .withTerminal(new WindowSize(33, 111, 0, 0)));
        BufferedReader out = lines(process);
        assertThat(out.readLine()).startsWith("/dev/pts/");
        assertThat(out.readLine()).isEqualTo("33 111");
        assertThat(out.readLine()).isEqualTo("ready");
        process.resize(new WindowSize(50, 132, 0, 0));
        assertThat(out.readLine()).isEqualTo("50 132");
        assertThat(process.waitFor()).isEqualTo(ExitStatus.exited(0));
    }

    @Test
    void environmentAndWorkingDirectory() throws Exception {
        Result env = run(SpawnRequest.of("/usr/bin/env").withEnvironment(Map.of("GREETING", "hello world", "LD_PRELOAD", "/tmp/evil.so")), new byte[0]);
        assertThat(env.text().lines()).containsExactlyInAnyOrder("GREETING=hello world", "PATH=" + ProgramPolicy.SAFE_PATH);
        assertThat(run(SpawnRequest.of("/usr/bin/env"), new byte[0]).text()).isEqualTo("PATH=" + ProgramPolicy.SAFE_PATH + "\n");

        assertThat(run(SpawnRequest.of("/bin/sh", "-c", "pwd").withDirectory(ByteString.of(dir.toString())), new byte[0]).text())
                .isEqualTo(dir + "\n");
        assertThat(run(SpawnRequest.of("/bin/sh", "-c", "pwd").withPreferredDirectory(ByteString.of("/no/such/dir")), new byte[0]).text())
                .isEqualTo("/\n");
        assertThatThrownBy(() -> start(SpawnRequest.of("/bin/sh", "-c", "pwd").withDirectory(ByteString.of("/no/such/dir"))))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessage("/bin/sh: the working directory /no/such/dir does not exist on the server");
    }

    @Test
    void stdinFromNullAndPassedDescriptors() throws Exception {
        assertThat(run(SpawnRequest.of("/bin/cat").withStdinFromNull(), new byte[0]).stdout()).isEmpty();

        Path file = Files.writeString(dir.resolve("passed"), "through fd 5\n");
        int fd = Libc.open(file.toString(), 0, 0);
        try {
            Result result = run(SpawnRequest.of("/bin/sh", "-c", "cat <&5; ls /proc/self/fd | sort -n | tr '\\n' ' '")
                    .withFds(List.of(new PassedFd(5, fd))), new byte[0]);
            // 0-2, the passed 5, and ls's own directory handle: nothing of the server leaks in
            assertThat(result.text()).startsWith("through fd 5\n0 1 2 3 5 ");
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * A program whose exec fails in the child (here E2BIG: one argument over the kernel's 128 KiB) is reaped by
     * posix_spawn itself, while another child keeps the reaper in waitid: the reaper then finds the pid gone. It once
     * died of that, after which no program's end was reported again.
     */
    @Test
    void failedExecsWhileAnotherProgramRunsLeaveEndsReported() throws Exception {
        RemoteProcess sleeper = start(SpawnRequest.of("/bin/sleep", "1000"));
        String tooLong = "a".repeat(200_000);
        for (int i = 0; i < 40; i++) {
            assertThatThrownBy(() -> start(SpawnRequest.of("/bin/true", tooLong))).isInstanceOf(SpawnFailedException.class);
        }
        RemoteProcess quick = start(SpawnRequest.of("/bin/true"));
        assertThat(quick.waitFor(Duration.ofSeconds(20))).contains(ExitStatus.exited(0));
        assertThat(sleeper.waitFor(Duration.ZERO)).isEmpty();
    }

    @Test
    void refusalsNameTheProgramAndTheReason() {
        assertThatThrownBy(() -> start(SpawnRequest.of("/usr/bin/id")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(126))
                .hasMessage("/usr/bin/id: not allowed, not in the whitelist " + whitelist);
        assertThatThrownBy(() -> start(SpawnRequest.of("no-such-tool")))
                .isInstanceOfSatisfying(SpawnFailedException.class, e -> assertThat(e.exitStatus()).isEqualTo(127));
    }

    @Test
    void aClientThatGoesAwayTakesItsProgramAndItsProcessGroupWithIt() throws Exception {
        // ignores SIGTERM: SIGKILL after the grace period; the background sleep is in its process group
        RemoteProcess process = sh("trap '' TERM; sleep 1000 & echo $!; exec sleep 1000");
        long background = Long.parseLong(lines(process).readLine());
        long program = process.pid();
        process.close();
        awaitGone(program);
        awaitGone(background);
    }

    @Test
    void closingTheStdoutReaderGivesTheProgramSigpipe() throws Exception {
        RemoteProcess process = client.start(SpawnRequest.of("/usr/bin/yes"), data -> {
            throw new IOException("the reader went away");
        }, OutputSink.discard());
        assertThat(process.waitFor()).isEqualTo(ExitStatus.killed(Signals.SIGPIPE));
    }

    @Test
    void aProgramsBackgroundLeftoversDoNotHoldTheSessionOpen() throws Exception {
        Result result = run(SpawnRequest.of("/bin/sh", "-c", "sleep 1000 & echo $!"), new byte[0]);
        assertThat(result.status()).isEqualTo(ExitStatus.exited(0));
        long leftover = Long.parseLong(result.text().strip());
        assertThat(Files.exists(Path.of("/proc", Long.toString(leftover)))).isTrue();
        server.close(); // a stopping server ends what programs left behind, too
        awaitGone(leftover);
    }

    @Test
    void hundredConcurrentSessionsEachGetTheirOwnOutput() throws Exception {
        try (ExecutorService clients = Executors.newFixedThreadPool(100)) {
            List<Future<Result>> results = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                int session = i;
                results.add(clients.submit(() -> run(SpawnRequest.of("/bin/sh", "-c", "cat; echo \"out $1\"", "sh", Integer.toString(session)),
                        ("in " + session + "\n").repeat(1000).getBytes())));
            }
            for (int i = 0; i < 100; i++) {
                Result result = results.get(i).get();
                assertThat(result.text()).isEqualTo(("in " + i + "\n").repeat(1000) + "out " + i + "\n");
                assertThat(result.status()).isEqualTo(ExitStatus.exited(0));
            }
        }
        assertThat(server.runningPrograms()).isZero();
    }

    @Test
    void stoppingTheServerTerminatesItsProgramsAndTellsTheirClients() throws Exception {
        RemoteProcess process = start(SpawnRequest.of("/bin/sleep", "1000"));
        server.close();
        assertThat(process.waitFor()).isEqualTo(ExitStatus.killed(Signals.SIGTERM));
        assertThat(Files.exists(socket)).isFalse();
        assertThat(Files.exists(server.socket().resolveSibling("rexec.sock.children"))).isFalse();
    }

    @Test
    void theSocketIsPrivateAndServedOnce() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
        assertThatThrownBy(() -> RexecServer.start(new RexecServerConfig(socket, whitelist, false, GRACE)))
                .hasMessage("another rexec_server is running for " + socket + " (it holds " + socket + ".lock)");
    }

    @Test
    void aClientThatBreaksTheProtocolIsDropped() throws Exception {
        try (NativeWire wire = NativeWire.connect(socket)) {
            ByteBuffer junk = ByteBuffer.allocateDirect(16);
            Protocol.putHeader(junk, Protocol.STDIN, 4);
            wire.write(junk.putInt(7).flip());
            // dropped: end of stream, or a reset as the server closed with the junk unread
            assertThatThrownBy(() -> {
                if (wire.read(ByteBuffer.allocateDirect(64)) < 0) {
                    throw new java.io.EOFException();
                }
            }).isInstanceOf(IOException.class);
        }
        // and the server serves the next one
        assertThat(run(SpawnRequest.of("/bin/true"), new byte[0]).status()).isEqualTo(ExitStatus.exited(0));
    }
}
