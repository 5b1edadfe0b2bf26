package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.fabric.rexec.DetachedFiles;
import io.dpuvirt.fabric.rexec.DetachedProgramCleanup;
import io.dpuvirt.fabric.rexec.ExitStatus;
import io.dpuvirt.fabric.rexec.PassedFd;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.ProgramState;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.RexecServer;
import io.dpuvirt.fabric.rexec.RexecServerConfig;
import io.dpuvirt.fabric.rexec.SpawnRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link PeerSockets} against a real udsproxyd in this JVM playing the peer's side, on 127.0.0.1 (its own peer is
 * absent: its control link just keeps retrying). Its {@code [Udsconnect]} covers {@code allowed/} of a temporary
 * directory, where the servers are real unix sockets; {@code elsewhere/} is not covered. Shown: bytes both ways and
 * both half-closes, the peer's refusals with its errno, a wrong key getting nowhere, a close that wakes a blocked
 * read, channels reused stream after stream, also after streams closed before their servers' ends (told apart by
 * their sockets' inodes in /proc/net/tcp), and rexec
 * through it. Nothing here asks for root.
 */
class PeerSocketsTest {
    private static final Duration PATIENCE = Duration.ofSeconds(20);
    /**
     * Link connections one PeerSockets may use while streams finish cleanly: those it keeps warm and one more (an
     * open that finds none ready yet dials its own). A channel per stream or per refusal would be far more.
     */
    private static final int FEW_CHANNELS = 5;
    private static final String ESTABLISHED = "01";

    @TempDir
    Path dir;
    private Path allowed;
    private Path elsewhere;
    private int proxyPort;
    private Udsproxy proxy;
    private PeerSockets peer;
    /** Closed after each test, last added first, whatever happened. */
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final ExecutorService servers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("server-", 0).factory());

    @BeforeEach
    void start() throws Exception {
        allowed = Files.createDirectories(dir.resolve("allowed"));
        elsewhere = Files.createDirectories(dir.resolve("elsewhere"));
        Path whitelist = Files.writeString(dir.resolve("udsproxy-whitelist"), "[Udsconnect]\nPath=" + allowed + "\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        byte[] secret = randomKey();
        proxyPort = freePort();
        Transport transport = Transport.of(false, "127.0.0.1", String.valueOf(proxyPort), "127.0.0.1", String.valueOf(freePort()));
        proxy = Udsproxy.start(new UdsproxyConfig(transport, LinkKey.of(secret), whitelist, List.of(), dir.resolve("run")));
        peer = peerSockets(secret);
    }

    @AfterEach
    void stop() throws Exception {
        Exception first = null;
        while (!started.isEmpty()) {
            try {
                started.pop().close();
            } catch (Exception e) {
                first = first == null ? e : first;
            }
        }
        proxy.close();
        servers.shutdownNow(); // interrupts the servers still in accept or read: their channels close
        if (first != null) {
            throw first;
        }
    }

    @Test
    void bytesGoBothWaysAndEachSideEndsItsDirection() throws Exception {
        ServerSocketChannel server = listen(allowed.resolve("echo.sock"));
        Future<String> served = acceptOne(server, client -> {
            String request = readExactly(client, 4);
            write(client, request);
            String more = readToEnd(client); // until the stream's shutdownOutput
            write(client, "bye"); // after that end of stream, the server still talks
            return request + "|" + more;
        });

        try (PeerStream stream = peer.open(allowed.resolve("echo.sock"))) {
            write(stream, "ping");
            assertThat(readExactly(stream, 4)).isEqualTo("ping");
            stream.shutdownOutput();
            assertThatThrownBy(() -> write(stream, "late")).as("a write after the half-close")
                    .isInstanceOf(ClosedChannelException.class);
            assertThat(readToEnd(stream)).as("the server's last bytes, then its close").isEqualTo("bye");
            assertThat(stream.read(ByteBuffer.allocate(8))).isEqualTo(-1);
            assertThat(stream.isOpen()).isTrue();
        }
        assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS))
                .as("the server read end of stream after the request").isEqualTo("ping|");
    }

    @Test
    void refusalsCarryThePeersErrnoAndLeaveTheChannelInStep() throws Exception {
        ServerSocketChannel echo = listen(allowed.resolve("echo.sock"));
        ServerSocketChannel outside = listen(elsewhere.resolve("secret.sock"));
        Set<String> channelsUsed = new HashSet<>();
        for (int round = 0; round < 10; round++) {
            assertThatThrownBy(() -> peer.open(allowed.resolve("nobody-listens.sock")))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
            assertThatThrownBy(() -> peer.open(elsewhere.resolve("secret.sock")))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES))
                    .hasMessageContaining("[Udsconnect]");
            assertThat(echoThrough(echo, "after refusals " + round)).isEqualTo("after refusals " + round);
            channelsUsed.addAll(linkConnectionsNow());
        }
        assertThat(acceptedAnything(outside)).isFalse();
        assertThat(proxy.status()).contains(" 10 total, 20 refused");
        assertThat(channelsUsed).as("a refused open's channel carries the next stream").isNotEmpty().hasSizeLessThanOrEqualTo(FEW_CHANNELS);
    }

    @Test
    void anOpenSentAheadCarriesTheFirstBytesAndARefusalIsTheFirstReadsError() throws Exception {
        ServerSocketChannel echo = listen(allowed.resolve("echo.sock"));
        Future<String> served = acceptOne(echo, client -> {
            String request = readExactly(client, 5);
            write(client, request.toUpperCase());
            return request;
        });
        try (PeerStream stream = peer.openAhead(allowed.resolve("echo.sock"))) {
            write(stream, "hello");
            assertThat(readExactly(stream, 5)).isEqualTo("HELLO");
        }
        assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("hello");

        try (PeerStream refused = peer.openAhead(allowed.resolve("nobody-listens.sock"))) {
            write(refused, "lost"); // goes out behind the open, and the peer drops it with the refusal
            assertThatThrownBy(() -> refused.read(ByteBuffer.allocate(8)))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT))
                    .hasMessageContaining("nobody-listens.sock");
        }
        assertThat(echoThrough(echo, "after a refusal")).as("the refused stream's channel is in step").isEqualTo("after a refusal");
    }

    @Test
    void anOpenThatMayWaitConnectsToASocketBoundMeanwhile() throws Exception {
        Path late = allowed.resolve("domain-1/late.sock"); // in a directory made later, as a hypervisor's run directory is
        Future<ServerSocketChannel> bound = servers.submit(() -> {
            Thread.sleep(300); // the open below is under way by then, waiting on the peer's side
            Files.createDirectory(late.getParent());
            return listen(late);
        });
        try (PeerStream stream = peer.open(late, Duration.ofSeconds(5))) {
            Future<String> served = acceptOne(bound.get(PATIENCE.toSeconds(), TimeUnit.SECONDS), client -> readExactly(client, 4));
            write(stream, "late");
            assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo("late");
        }
        assertThatThrownBy(() -> peer.open(allowed.resolve("never.sock"), Duration.ofMillis(200)))
                .as("a socket that does not come within the wait")
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThatThrownBy(() -> peer.open(elsewhere.resolve("x.sock"), Duration.ofSeconds(5)))
                .as("a refusal that waiting cannot change comes at once")
                .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EACCES));
    }

    @Test
    void aDifferentKeyOpensNothing() throws Exception {
        ServerSocketChannel server = listen(allowed.resolve("echo.sock"));
        PeerSockets stranger = peerSockets(randomKey());

        assertThatThrownBy(() -> stranger.open(allowed.resolve("echo.sock"))).isInstanceOf(IOException.class);
        assertThat(acceptedAnything(server)).isFalse();
        assertThat(proxy.status()).contains("streams: 0 active, 0 total, 0 refused");
    }

    @Test
    void closeFromAnotherThreadEndsABlockedRead() throws Exception {
        ServerSocketChannel server = listen(allowed.resolve("silent.sock"));
        Future<String> served = acceptOne(server, PeerSocketsTest::readToEnd); // says nothing, reads until the stream goes
        PeerStream stream = peer.open(allowed.resolve("silent.sock"));
        started.push(stream);

        FutureTask<Integer> read = new FutureTask<>(() -> stream.read(ByteBuffer.allocate(64)));
        Thread reader = Thread.ofPlatform().daemon().name("blocked-reader").start(read);
        await("the reader to wait for the peer's frames", () -> runsIn(reader, LinkConnection.class, "receive"));
        stream.close();

        assertThatThrownBy(() -> read.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).hasCauseInstanceOf(AsynchronousCloseException.class);
        assertThat(stream.isOpen()).isFalse();
        assertThatThrownBy(() -> stream.read(ByteBuffer.allocate(1))).isInstanceOf(ClosedChannelException.class);
        assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the server's connection ended").isEmpty();
    }

    @Test
    void streamAfterStreamReusesTheChannelsOfStreamsClosedCleanly() throws Exception {
        ServerSocketChannel echo = listen(allowed.resolve("echo.sock"));
        Set<String> channelsUsed = new HashSet<>();
        for (int i = 0; i < 50; i++) {
            assertThat(echoThrough(echo, "message " + i)).isEqualTo("message " + i);
            channelsUsed.addAll(linkConnectionsNow());
        }
        assertThat(proxy.status()).contains(" 50 total, 0 refused");
        assertThat(channelsUsed).as("not a channel per stream").isNotEmpty().hasSizeLessThanOrEqualTo(FEW_CHANNELS);
    }

    @Test
    void streamsClosedWhileTheirServersStillTalkKeepTheirChannelsToo() throws Exception {
        ServerSocketChannel talker = listen(allowed.resolve("talker.sock"));
        Set<String> channelsUsed = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            Future<String> served = acceptOne(talker, client -> { // a greeting, more of it, and on until the client goes
                write(client, "hello " + "x".repeat(10_000));
                return readToEnd(client);
            });
            PeerStream stream = peer.open(pathOf(talker));
            assertThat(readExactly(stream, 6)).isEqualTo("hello ");
            stream.close(); // with most of the greeting unread and the server's end still open
            stream.abort(); // too late to touch the channel, which may carry the next stream already
            assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).as("the server's connection ended").isEmpty();
            channelsUsed.addAll(linkConnectionsNow());
        }
        ServerSocketChannel silent = listen(allowed.resolve("silent.sock"));
        for (int i = 0; i < 10; i++) { // and with a read blocked when the stream is closed
            Future<String> served = acceptOne(silent, PeerSocketsTest::readToEnd);
            PeerStream stream = peer.open(pathOf(silent));
            FutureTask<Integer> read = new FutureTask<>(() -> stream.read(ByteBuffer.allocate(64)));
            Thread reader = Thread.ofPlatform().daemon().name("blocked-reader").start(read);
            await("the reader to wait for the peer's frames", () -> runsIn(reader, LinkConnection.class, "receive"));
            stream.close();
            assertThatThrownBy(() -> read.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).hasCauseInstanceOf(AsynchronousCloseException.class);
            assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEmpty();
            channelsUsed.addAll(linkConnectionsNow());
        }
        assertThat(proxy.status()).contains(" 40 total, 0 refused");
        assertThat(channelsUsed).as("not a channel per stream").isNotEmpty().hasSizeLessThanOrEqualTo(FEW_CHANNELS);
        assertThat(echoThrough(listen(allowed.resolve("echo.sock")), "in step")).isEqualTo("in step");
    }

    @Test
    void rexecThroughThePeersUdsproxyd() throws Exception {
        Path readable = Files.createDirectories(dir.resolve("readable"));
        Files.writeString(readable.resolve("facts"), "host facts\n");
        Path programs = Files.writeString(dir.resolve("rexec-whitelist"), "/bin/sleep\n");
        Files.setPosixFilePermissions(programs, PosixFilePermissions.fromString("rw-------"));
        Path socket = allowed.resolve("rexec.sock");
        RexecServer server = RexecServer.start(new RexecServerConfig(socket, programs, false, Duration.ofMillis(300),
                List.of(Files.createDirectories(dir.resolve("logs"))), List.of(dir.resolve("state")), List.of(readable)));
        started.push(server);
        RexecClient rexec = new RexecClient(socket, peer);
        started.push(rexec);

        assertThat(rexec.files().readFile(readable.resolve("facts"))).asString(StandardCharsets.UTF_8).isEqualTo("host facts\n");

        ProgramId sleep = rexec.spawnDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        started.push(() -> DetachedProgramCleanup.killIfRunning(sleep));
        assertThat(rexec.status(sleep)).isEqualTo(new ProgramState.Running());
        CompletableFuture<ProgramState.Ended> watch = rexec.watch(sleep);
        rexec.signal(sleep, Signals.SIGTERM);
        assertThat(watch.get(PATIENCE.toSeconds(), TimeUnit.SECONDS).status()).contains(ExitStatus.killed(Signals.SIGTERM));
        assertThat(rexec.status(sleep)).isInstanceOfSatisfying(ProgramState.Ended.class,
                ended -> assertThat(ended.status()).contains(ExitStatus.killed(Signals.SIGTERM)));

        SpawnRequest passingStdin = SpawnRequest.of("/bin/sleep", "1000").withFds(List.of(new PassedFd(3, 0)));
        assertThatThrownBy(() -> rexec.start(passingStdin))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("descriptors cannot be passed")
                .hasMessageContaining(peer.peer());
        assertThatThrownBy(() -> rexec.spawnDetached(passingStdin, DetachedFiles.DISCARD))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("descriptors cannot be passed");
        assertThat(server.runningPrograms()).isZero();
    }

    // --- the peer's side: servers on unix sockets ---

    /** What a server does with one accepted connection; its result is the future's. */
    private interface Conversation<T> {
        T talk(SocketChannel client) throws Exception;
    }

    private ServerSocketChannel listen(Path path) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        started.push(server);
        server.bind(UnixDomainSocketAddress.of(path));
        return server;
    }

    private static Path pathOf(ServerSocketChannel server) throws IOException {
        return ((UnixDomainSocketAddress) server.getLocalAddress()).getPath();
    }

    /** Accepts one connection on a thread of its own, talks on it, closes it. */
    private <T> Future<T> acceptOne(ServerSocketChannel server, Conversation<T> conversation) {
        return servers.submit(() -> {
            try (SocketChannel client = server.accept()) {
                return conversation.talk(client);
            }
        });
    }

    /** Whether a connection is waiting to be accepted (a zero-timeout look: the server stays blocking-free here). */
    private static boolean acceptedAnything(ServerSocketChannel server) throws IOException {
        server.configureBlocking(false);
        try (SocketChannel client = server.accept()) {
            return client != null;
        }
    }

    /** One stream through {@code peer}: the text, end of stream, and what the server echoed until its close. */
    private String echoThrough(ServerSocketChannel server, String text) throws Exception {
        Future<String> served = acceptOne(server, client -> {
            String all = readToEnd(client);
            write(client, all);
            return all;
        });
        try (PeerStream stream = peer.open(pathOf(server))) {
            write(stream, text);
            stream.shutdownOutput();
            String echoed = readToEnd(stream);
            assertThat(served.get(PATIENCE.toSeconds(), TimeUnit.SECONDS)).isEqualTo(text);
            return echoed;
        }
    }

    // --- this side ---

    private PeerSockets peerSockets(byte[] secret) {
        PeerSockets sockets = new PeerSockets(Transport.toPeer("127.0.0.1:" + proxyPort), LinkKey.of(secret));
        started.push(sockets);
        return sockets;
    }

    private static byte[] randomKey() {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        return secret;
    }

    private static int freePort() throws Exception {
        try (NativeSocket socket = NativeSocket.listen(SockAddr.Inet.of("127.0.0.1", 0), SocketType.STREAM, 1)) {
            return socket.localPort();
        }
    }

    /**
     * The link connections to the proxy open now, by this side's socket inode (from /proc/net/tcp: a port number of
     * a closed connection is soon used again on loopback, an inode never).
     */
    private Set<String> linkConnectionsNow() throws IOException {
        String proxy = String.format(":%04X", proxyPort);
        return Files.readAllLines(Path.of("/proc/net/tcp")).stream().skip(1)
                .map(line -> line.trim().split("\\s+")) // sl, local, remote, state, queues, timer, retransmits, uid, timeout, inode
                .filter(fields -> fields[2].endsWith(proxy) && fields[3].equals(ESTABLISHED))
                .map(fields -> fields[9])
                .collect(Collectors.toSet());
    }

    // --- bytes ---

    private static void write(WritableByteChannel channel, String text) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }

    private static String readExactly(ReadableByteChannel channel, int length) throws IOException {
        ByteBuffer bytes = ByteBuffer.allocate(length);
        while (bytes.hasRemaining()) {
            if (channel.read(bytes) < 0) {
                throw new IOException("end of stream after " + bytes.position() + " of " + length + " bytes");
            }
        }
        return new String(bytes.array(), StandardCharsets.UTF_8);
    }

    private static String readToEnd(ReadableByteChannel channel) throws IOException {
        StringBuilder all = new StringBuilder();
        ByteBuffer bytes = ByteBuffer.allocate(4096);
        while (channel.read(bytes) >= 0) {
            all.append(new String(bytes.array(), 0, bytes.position(), StandardCharsets.UTF_8));
            bytes.clear();
        }
        return all.toString();
    }

    // --- waiting and cleaning up ---

    /** Whether {@code thread} is, right now, inside {@code method} of {@code type}. */
    private static boolean runsIn(Thread thread, Class<?> type, String method) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getClassName().equals(type.getName()) && frame.getMethodName().equals(method));
    }

    /** Waits (generously: no timing assertion) until {@code condition} holds. */
    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
