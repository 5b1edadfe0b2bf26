package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeSocketTest {
    @TempDir
    Path dir;

    private static String readString(NativeSocket socket, int max) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(max);
            long n = socket.read(buffer, max);
            return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    @Test
    void streamEchoHalfCloseAndPeerCredentials() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("s.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 8)) {
            CompletableFuture<NativeSocket> accepted = CompletableFuture.supplyAsync(() -> {
                try {
                    return listener.accept();
                } catch (LinuxException e) {
                    throw new RuntimeException(e);
                }
            });
            try (NativeSocket client = NativeSocket.connect(address, SocketType.STREAM);
                 NativeSocket server = accepted.get()) {
                client.write("hello".getBytes(StandardCharsets.UTF_8));
                client.shutdownOutput();
                assertThat(readString(server, 64)).isEqualTo("hello");
                assertThat(readString(server, 64)).isEmpty();
                // a half-close is not a close: the server can still answer
                assertThat(server.peerClosed()).isFalse();
                server.write("back".getBytes(StandardCharsets.UTF_8));
                assertThat(readString(client, 64)).isEqualTo("back");
                assertThat(server.peerCredentials().pid()).isEqualTo(ProcessHandle.current().pid());
                client.close();
                assertThat(server.peerClosed()).isTrue();
            }
        }
    }

    @Test
    void seqpacketKeepsMessageBoundariesAndReportsTruncation() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("p.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.SEQPACKET, 8);
             NativeSocket client = NativeSocket.connect(address, SocketType.SEQPACKET);
             NativeSocket server = listener.accept();
             Arena arena = Arena.ofConfined()) {
            client.write("one".getBytes(StandardCharsets.UTF_8));
            client.write("two!".getBytes(StandardCharsets.UTF_8));
            MessageIo io = new MessageIo();
            MemorySegment buffer = arena.allocate(64);
            assertThat(io.receive(server, buffer, 64)).isEqualTo(3);
            assertThat(io.receive(server, buffer, 2)).isEqualTo(2);
            assertThat(io.truncated()).isTrue();
        }
    }

    @Test
    void passesFileDescriptors() throws Exception {
        Path file = Files.writeString(dir.resolve("data.txt"), "payload");
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("f.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 8);
             NativeSocket client = NativeSocket.connect(address, SocketType.STREAM);
             NativeSocket server = listener.accept();
             Arena arena = Arena.ofConfined()) {
            int fd = Libc.open(file.toString(), 0, 0);
            MemorySegment one = arena.allocateFrom("x");
            new MessageIo().send(client, one, 1, new int[] {fd});
            Libc.close(fd);
            MessageIo receiver = new MessageIo();
            MemorySegment buffer = arena.allocate(16);
            assertThat(receiver.receive(server, buffer, 16)).isEqualTo(1);
            assertThat(receiver.receivedFds()).hasSize(1);
            int received = receiver.receivedFds()[0];
            assertThat(Files.readSymbolicLink(Path.of("/proc/self/fd/" + received))).isEqualTo(file);
            Libc.close(received);
        }
    }

    @Test
    void connectToMissingSocketNamesPathAndErrno() {
        String path = dir.resolve("absent.sock").toString();
        assertThatThrownBy(() -> NativeSocket.connect(new SockAddr.Unix(path), SocketType.STREAM))
                .isInstanceOf(LinuxException.class)
                .hasMessage("connect(" + path + "): ENOENT (No such file or directory)")
                .satisfies(e -> assertThat(((LinuxException) e).errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void tcpListenerOnEphemeralPortAcceptsWithTimeoutConnect() throws Exception {
        try (NativeSocket listener = NativeSocket.listen(SockAddr.Inet.of("127.0.0.1", 0), SocketType.STREAM, 8)) {
            int port = listener.localPort();
            assertThat(port).isPositive();
            try (NativeSocket client = NativeSocket.connect(SockAddr.Inet.of("127.0.0.1", port), SocketType.STREAM, Duration.ofSeconds(2));
                 NativeSocket server = listener.accept()) {
                client.setTcpNoDelay();
                client.write("tcp".getBytes(StandardCharsets.UTF_8));
                assertThat(readString(server, 16)).isEqualTo("tcp");
            }
        }
    }

    @Test
    void tcpConnectRefusedIsReported() throws Exception {
        int port;
        try (NativeSocket listener = NativeSocket.listen(SockAddr.Inet.of("127.0.0.1", 0), SocketType.STREAM, 1)) {
            port = listener.localPort();
        }
        assertThatThrownBy(() -> NativeSocket.connect(SockAddr.Inet.of("127.0.0.1", port), SocketType.STREAM, Duration.ofSeconds(2)))
                .isInstanceOf(LinuxException.class).hasMessageContaining("ECONNREFUSED");
    }

    @Test
    void abortWakesABlockedAccept() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("w.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 8)) {
            CompletableFuture<Throwable> blocked = CompletableFuture.supplyAsync(() -> {
                try {
                    listener.accept().close();
                    return null;
                } catch (LinuxException e) {
                    return e;
                }
            });
            Thread.sleep(100);
            listener.abort();
            assertThat(blocked.get(5, java.util.concurrent.TimeUnit.SECONDS)).isInstanceOf(LinuxException.class);
        }
    }

    @Test
    void vsockListenerBindsWithoutAPeer() throws Exception {
        // These machines have AF_VSOCK but no loopback transport: binding works, reaching a peer cannot be tested here.
        try (NativeSocket listener = NativeSocket.listen(new SockAddr.Vsock(SockAddr.Vsock.CID_ANY, SockAddr.Vsock.PORT_ANY), SocketType.STREAM, 4)) {
            assertThat(listener.localPort()).isNotIn(0, -1);
        }
    }
}
