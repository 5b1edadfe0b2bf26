package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A client's kept connections: shared by its requests (counted by the server), never more than its callers at once,
 * closed with the client, and replaced after the server restarted without the caller noticing. A stand-in server
 * whose first connection breaks shows when a request is sent again and when it is not.
 */
@Timeout(60) // a request whose answer never comes waits for ever: fail instead
class ConnectionPoolTest {
    @TempDir
    Path dir;
    private RexecServerConfig config;
    private RexecServer server;
    private RexecClient client;

    private void startServer() throws Exception {
        Path whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, "/bin/sleep\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        config = new RexecServerConfig(dir.resolve("rexec.sock"), whitelist, false, Duration.ofMillis(300), List.of(dir), List.of(dir.resolve("state")),
                List.of());
        server = RexecServer.start(config);
        client = new RexecClient(config.socket());
    }

    @AfterEach
    void stop() {
        if (client != null) {
            client.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Test
    void requestsShareTheKeptConnection() throws Exception {
        startServer();
        RemoteFiles files = client.files();
        Path file = dir.resolve("state/vm1.fd");
        for (int i = 0; i < 5; i++) {
            files.writeFile(file, ("round " + i).getBytes(StandardCharsets.UTF_8), 0600);
            assertThat(files.readFile(file)).asString(StandardCharsets.UTF_8).isEqualTo("round " + i);
            assertThat(files.exists(file)).isTrue();
            assertThatThrownBy(() -> client.status(new ProgramId(1, 1))).isInstanceOf(RequestRefusedException.class);
            assertThatThrownBy(() -> files.readFile(dir.resolve("state/missing"))).isInstanceOf(java.nio.file.NoSuchFileException.class);
            assertThat(files.deleteFile(file)).isTrue();
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void concurrentCallersOpenNoMoreConnectionsThanThereAreCallers() throws Exception {
        startServer();
        int callers = ConnectionPool.MAX_IDLE;
        try (ExecutorService threads = Executors.newFixedThreadPool(callers)) {
            List<Future<Integer>> answered = new ArrayList<>();
            for (int i = 0; i < callers; i++) {
                answered.add(threads.submit(() -> {
                    int yes = 0;
                    for (int request = 0; request < 50; request++) {
                        yes += client.files().exists(dir) ? 1 : 0;
                    }
                    return yes;
                }));
            }
            for (Future<Integer> each : answered) {
                assertThat(each.get()).isEqualTo(50);
            }
        }
        assertThat(server.connectionsAccepted()).isBetween(1L, (long) callers);
    }

    @Test
    void aDetachedStartTakesAKeptConnectionForItsWatchAndOneIsOpenedAheadForTheNextRequest() throws Exception {
        startServer();
        assertThat(client.files().exists(dir)).isTrue();
        assertThat(server.connectionsAccepted()).isEqualTo(1);

        RexecClient.Detached sleep = client.startDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        long ahead = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.connectionsAccepted() < 2 && System.nanoTime() < ahead) {
            Thread.sleep(5);
        }
        assertThat(server.connectionsAccepted()).as("the kept one started it; one more was opened ahead").isEqualTo(2);
        client.signal(sleep.program(), Signals.SIGTERM); // on the one opened ahead
        assertThat(sleep.end().get(20, TimeUnit.SECONDS)).isEqualTo(ProgramState.Ended.of(ExitStatus.killed(Signals.SIGTERM)));
        assertThat(server.connectionsAccepted()).isEqualTo(2);
    }

    @Test
    void aSignalAnsweredLaterIsSentOnTheKeptConnectionWhichIsKeptAgainAfterItsAnswer() throws Exception {
        startServer();
        ProgramId sleep = client.spawnDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        CompletableFuture<ProgramState.Ended> end = client.watch(sleep); // holds the connection the start left

        client.signalAnsweredLater(sleep, Signals.SIGTERM).get(20, TimeUnit.SECONDS);
        assertThat(end.get(20, TimeUnit.SECONDS)).isEqualTo(ProgramState.Ended.of(ExitStatus.killed(Signals.SIGTERM)));
        long connections = server.connectionsAccepted();
        assertThat(client.files().exists(dir)).as("a request after the answer").isTrue();
        assertThat(server.connectionsAccepted()).as("the signal's connection, kept again, carries the next request")
                .isEqualTo(connections);

        assertThatThrownBy(() -> client.signalAnsweredLater(sleep, Signals.SIGTERM).get(20, TimeUnit.SECONDS))
                .as("the server's refusal comes through the future").hasCauseInstanceOf(RequestRefusedException.class)
                .cause().satisfies(refusal -> assertThat(((RequestRefusedException) refusal).programGone()).isTrue());
    }

    @Test
    void aRequestAfterTheServerRestartedIsAnswered() throws Exception {
        startServer();
        ProgramId sleep = client.spawnDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
        try {
            assertThat(client.status(sleep)).isEqualTo(new ProgramState.Running());
            assertThat(client.files().exists(dir)).isTrue();
            server.close();
            server = RexecServer.start(config); // takes the detached program over
            assertThat(client.status(sleep)).isEqualTo(new ProgramState.Running());
        } finally {
            client.signal(sleep, Signals.SIGKILL); // not repeatable, and yet fine: the broken connections were dropped before use
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aKeptConnectionThatBreaksBeforeItsAnswerIsReplacedOnce() throws Exception {
        try (BreakingServer stand = new BreakingServer(BreakingServer.Break.CLOSE_UNANSWERED)) {
            RemoteFiles files = stand.client.files();
            assertThat(files.exists(dir)).isTrue();
            assertThat(files.exists(dir)).isTrue();
            assertThat(stand.received).containsExactly(List.of(Protocol.FILE_EXISTS, Protocol.FILE_EXISTS), List.of(Protocol.FILE_EXISTS));
        }
    }

    @Test
    void aDeleteThatReachedTheServerIsNotSentAgain() throws Exception {
        try (BreakingServer stand = new BreakingServer(BreakingServer.Break.CLOSE_UNANSWERED)) {
            RemoteFiles files = stand.client.files();
            assertThat(files.exists(dir)).isTrue();
            assertThatThrownBy(() -> files.deleteFile(dir)).isInstanceOf(EOFException.class)
                    .hasMessageEndingWith("closed the connection before answering FILE_DELETE " + dir);
            assertThat(stand.received).containsExactly(List.of(Protocol.FILE_EXISTS, Protocol.FILE_DELETE));
            assertThat(files.exists(dir)).isTrue(); // and the next request gets a new connection
        }
    }

    @Test
    void aDetachedStartThatReachedTheServerIsNotSentAgainAndItsFailureSaysWhatTheServerDoes() throws Exception {
        try (BreakingServer stand = new BreakingServer(BreakingServer.Break.CLOSE_UNANSWERED)) {
            assertThat(stand.client.files().exists(dir)).isTrue();
            assertThatThrownBy(() -> stand.client.startDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD))
                    .isInstanceOf(IOException.class)
                    .hasMessageEndingWith("closed the connection before answering whether it started /bin/sleep"
                            + " (if it did, it kills it: the start was not confirmed)");
            assertThat(stand.received).containsExactly(List.of(Protocol.FILE_EXISTS, Protocol.SPAWN));
        }
    }

    @Test
    void aRequestThatCouldNotBeWrittenIsSentAgainEvenADelete() throws Exception {
        try (BreakingServer stand = new BreakingServer(BreakingServer.Break.STOP_READING)) {
            RemoteFiles files = stand.client.files();
            assertThat(files.exists(dir)).isTrue();
            assertThat(files.deleteFile(dir)).isTrue();
            assertThat(stand.received).containsExactly(List.of(Protocol.FILE_EXISTS), List.of(Protocol.FILE_DELETE));
        }
    }

    @Test
    void closingTheClientClosesItsKeptConnections() throws Exception {
        try (BreakingServer stand = new BreakingServer(BreakingServer.Break.NEVER)) {
            assertThat(stand.client.files().exists(dir)).isTrue();
            assertThat(stand.closedByClients.tryAcquire(200, TimeUnit.MILLISECONDS)).isFalse(); // kept
            stand.client.close();
            assertThat(stand.closedByClients.tryAcquire(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    /**
     * A stand-in for rexec_server that answers every request BOOLEAN true, and whose first connection breaks after
     * its first answer as {@link Break} says. It records the requests' types, a list per connection.
     */
    private final class BreakingServer implements AutoCloseable {
        enum Break {
            /** Reads the next request whole, then closes without answering. */
            CLOSE_UNANSWERED,
            /** Shuts its receiving side: the client's next write fails (EPIPE). */
            STOP_READING,
            NEVER
        }

        final List<List<Integer>> received = new CopyOnWriteArrayList<>();
        final Semaphore closedByClients = new Semaphore(0);
        final RexecClient client;
        private final Break how;
        private final ServerSocketChannel listener;
        private final List<SocketChannel> accepted = new CopyOnWriteArrayList<>();

        BreakingServer(Break how) throws IOException {
            this.how = how;
            Path socket = dir.resolve("stand-in.sock");
            listener = ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
            Thread.ofVirtual().start(this::accept);
            client = new RexecClient(socket);
        }

        private void accept() {
            try {
                while (true) {
                    SocketChannel connection = listener.accept();
                    accepted.add(connection);
                    List<Integer> types = new CopyOnWriteArrayList<>();
                    boolean breaks = received.isEmpty();
                    received.add(types);
                    Thread.ofVirtual().start(() -> serve(connection, types, breaks ? how : Break.NEVER));
                }
            } catch (IOException e) {
                // closed
            }
        }

        private void serve(SocketChannel connection, List<Integer> types, Break breaking) {
            try {
                while (true) {
                    ByteBuffer header = ByteBuffer.allocate(Protocol.HEADER);
                    if (!readFully(connection, header)) {
                        closedByClients.release();
                        return;
                    }
                    readFully(connection, ByteBuffer.allocate(header.getInt(4)));
                    types.add(Protocol.type(header, 0));
                    if (breaking == Break.CLOSE_UNANSWERED && types.size() == 2) {
                        connection.close();
                        return;
                    }
                    if (breaking == Break.STOP_READING) {
                        connection.shutdownInput(); // before the answer: the client's next request cannot come first
                    }
                    ByteBuffer answer = ByteBuffer.allocate(Protocol.HEADER + 1);
                    Protocol.putHeader(answer, Protocol.BOOLEAN, 1);
                    connection.write(answer.put((byte) 1).flip());
                    if (breaking == Break.STOP_READING) {
                        return;
                    }
                }
            } catch (IOException e) {
                // the test closed it
            }
        }

        /** False at end of stream before the first byte. */
        private static boolean readFully(SocketChannel connection, ByteBuffer into) throws IOException {
            while (into.hasRemaining()) {
                if (connection.read(into) < 0) {
                    if (into.position() == 0) {
                        return false;
                    }
                    throw new EOFException();
                }
            }
            return true;
        }

        @Override
        public void close() throws IOException {
            client.close();
            listener.close();
            for (SocketChannel connection : accepted) {
                connection.close();
            }
        }
    }
}
