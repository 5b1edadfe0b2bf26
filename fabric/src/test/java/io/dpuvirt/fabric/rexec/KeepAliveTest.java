package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Signals;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's side of kept connections, spoken frame by frame: requests that follow one another on a connection,
 * the idle timeout, and what still ends a connection (the client's close, a broken request, SPAWN and WATCH, which
 * keep it).
 */
class KeepAliveTest {
    @TempDir
    Path dir;
    private Path state;
    private RexecServer server;

    private void start(Duration idleTimeout) throws Exception {
        Path socket = dir.resolve("rexec.sock");
        Path whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, "/bin/true\n/bin/sleep\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        state = dir.resolve("state");
        server = RexecServer.start(new RexecServerConfig(socket, whitelist, false, Duration.ofMillis(300), List.of(dir),
                List.of(state), List.of(), idleTimeout));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    /** A client connection spoken to frame by frame. */
    private final class Raw implements AutoCloseable {
        final ChannelWire wire;
        final FrameReader reader;

        Raw() throws IOException {
            wire = ChannelWire.connect(server.socket());
            reader = new FrameReader(wire, Protocol.MAX_FILE);
        }

        FrameReader.Frame ask(ByteBuffer request) throws IOException {
            wire.write(request);
            return reader.next();
        }

        /** Whether the server ended the connection: end of stream, or a reset (it closed with a request unread). */
        boolean ended() {
            try {
                return reader.next() == null;
            } catch (IOException e) {
                return true;
            }
        }

        @Override
        public void close() {
            wire.close();
        }
    }

    private ByteBuffer exists(Path path) {
        return new FileRequest.Exists(path.toString()).encode();
    }

    private static boolean isTrue(FrameReader.Frame answer) {
        assertThat(answer.type()).isEqualTo(Protocol.BOOLEAN);
        return answer.payload().get(0) != 0;
    }

    @Test
    void requestsFollowOneAnotherOnOneConnection() throws Exception {
        start(RexecServerConfig.DEFAULT_IDLE_TIMEOUT);
        Path file = state.resolve("nvram");
        try (Raw connection = new Raw()) {
            assertThat(isTrue(connection.ask(exists(file)))).isFalse();
            assertThat(connection.ask(new FileRequest.Write(file.toString(), 0600, ByteString.of("content")).encode()).type())
                    .isEqualTo(Protocol.DONE);
            FrameReader.Frame content = connection.ask(new FileRequest.Read(file.toString()).encode());
            assertThat(content.type()).isEqualTo(Protocol.FILE_DATA);
            assertThat(ByteString.read(content.payload(), content.payload().remaining())).isEqualTo(ByteString.of("content"));
            // a refusal is an answer like another: the connection stays
            assertThat(connection.ask(new ProgramRequest.Status(new ProgramId(1, 1)).encode()).type()).isEqualTo(Protocol.FAILED);
            assertThat(connection.ask(new FileRequest.Read("/etc/shadow").encode()).type()).isEqualTo(Protocol.FAILED);
            assertThat(isTrue(connection.ask(new FileRequest.Delete(file.toString()).encode()))).isTrue();
            assertThat(isTrue(connection.ask(exists(file)))).isFalse();
        }
        assertThat(server.connectionsAccepted()).isEqualTo(1);
    }

    @Test
    void aClientThatClosesAfterOneRequestIsServedAsBefore() throws Exception {
        start(RexecServerConfig.DEFAULT_IDLE_TIMEOUT);
        try (Raw connection = new Raw()) {
            assertThat(isTrue(connection.ask(exists(dir)))).isTrue();
            connection.wire.shutdownOutput();
            assertThat(connection.ended()).isTrue();
        }
    }

    @Test
    void anIdleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Duration idle = Duration.ofMillis(300);
        start(idle);
        try (Raw connection = new Raw()) {
            assertThat(isTrue(connection.ask(exists(dir)))).isTrue();
            long answered = System.nanoTime();
            assertThat(connection.ended()).isTrue();
            assertThat(System.nanoTime() - answered).isGreaterThanOrEqualTo(idle.toNanos() - TimeUnit.MILLISECONDS.toNanos(20));
        }
        try (Raw connection = new Raw()) { // a connection served within the idle timeout each time stays
            for (int i = 0; i < 3; i++) {
                assertThat(isTrue(connection.ask(exists(dir)))).isTrue();
                Thread.sleep(idle.toMillis() / 3);
            }
        }
    }

    @Test
    void aBrokenRequestAfterAnAnsweredOneEndsTheConnection() throws Exception {
        start(RexecServerConfig.DEFAULT_IDLE_TIMEOUT);
        try (Raw connection = new Raw()) {
            assertThat(isTrue(connection.ask(exists(dir)))).isTrue();
            ByteBuffer stdin = ByteBuffer.allocate(Protocol.HEADER + 4);
            Protocol.putHeader(stdin, Protocol.STDIN, 4);
            connection.wire.write(stdin.putInt(7).flip());
            assertThat(connection.ended()).isTrue();
        }
        try (Raw connection = new Raw()) {
            ByteBuffer truncated = new FileRequest.Exists(dir.toString()).encode();
            truncated.putInt(4, 2); // a payload too short for its path
            connection.wire.write(truncated.limit(Protocol.HEADER + 2));
            assertThat(connection.ended()).isTrue();
        }
    }

    @Test
    void aSpawnAfterOtherRequestsKeepsTheConnectionUntilTheProgramEnds() throws Exception {
        start(RexecServerConfig.DEFAULT_IDLE_TIMEOUT);
        try (Raw connection = new Raw()) {
            assertThat(isTrue(connection.ask(exists(dir)))).isTrue();
            assertThat(connection.ask(SpawnRequest.of("/bin/true").withStdinFromNull().encode()).type()).isEqualTo(Protocol.STARTED);
            FrameReader.Frame exit = connection.reader.next();
            assertThat(exit.type()).isEqualTo(Protocol.EXITED);
            assertThat(ExitStatus.decode(exit.payload())).isEqualTo(ExitStatus.exited(0));
            assertThat(connection.ended()).isTrue();
        }
    }

    @Test
    void aWatchAfterOtherRequestsKeepsTheConnectionUntilTheProgramEnds() throws Exception {
        start(Duration.ofMillis(200)); // the watch outlasts the idle timeout
        try (RexecClient client = new RexecClient(server.socket()); Raw connection = new Raw()) {
            ProgramId sleep = client.spawnDetached(SpawnRequest.of("/bin/sleep", "1000"), DetachedFiles.DISCARD);
            try {
                assertThat(connection.ask(new ProgramRequest.Status(sleep).encode()).type()).isEqualTo(Protocol.RUNNING);
                connection.wire.write(new ProgramRequest.Watch(sleep).encode());
                Thread.sleep(500);
            } finally {
                client.signal(sleep, Signals.SIGKILL);
            }
            FrameReader.Frame end = connection.reader.next();
            assertThat(end.type()).isEqualTo(Protocol.EXITED);
            assertThat(ProgramState.Ended.decode(end.payload()).status()).contains(ExitStatus.killed(Signals.SIGKILL));
            assertThat(connection.ended()).isTrue();
        }
    }
}
