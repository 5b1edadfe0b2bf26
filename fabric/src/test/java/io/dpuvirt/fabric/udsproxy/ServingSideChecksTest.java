package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A peer that holds the key but asks, on the wire, for what the serving side's whitelist does not cover: the
 * serving side's own check refuses it, whatever the peer's mirrors would allow. A real udsproxyd runs in-process.
 */
class ServingSideChecksTest {
    private static final byte[] SECRET = "a key both sides share, 32 bytes".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    Path dir;
    private Udsproxy proxy;
    private LinkEndpoint rogue;

    @BeforeEach
    void start() throws Exception {
        Path allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.createDirectories(dir.resolve("secret"));
        Files.createSymbolicLink(allowed.resolve("link"), dir.resolve("secret"));
        Path whitelist = Files.writeString(dir.resolve("whitelist"), "[Udsconnect]\nPath=" + allowed + "\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        int port = freePort();
        // the proxy's own peer is unreachable: only the rogue peer below talks to it
        Transport transport = Transport.of(false, "127.0.0.1", String.valueOf(port), "127.0.0.1", String.valueOf(freePort()));
        proxy = Udsproxy.start(new UdsproxyConfig(transport, LinkKey.of(SECRET), whitelist, List.of(), dir.resolve("run")));
        rogue = new LinkEndpoint(Transport.of(false, "127.0.0.1", String.valueOf(freePort()), "127.0.0.1", String.valueOf(port)),
                new Handshake(LinkKey.of(SECRET)), Executors.newCachedThreadPool());
    }

    @AfterEach
    void stop() {
        proxy.close();
        rogue.close();
    }

    private static int freePort() throws Exception {
        try (NativeSocket socket = NativeSocket.listen(SockAddr.Inet.of("127.0.0.1", 0), SocketType.STREAM, 1)) {
            return socket.localPort();
        }
    }

    private static void open(LinkConnection link, Path path) throws Exception {
        link.send(UdsFrame.OPEN, 0, new OpenRequest(path.toString(), SocketType.STREAM, new PeerCredentials(1, 0, 0)).encode());
    }

    private static OpenRefusal refusalAfterEnd(LinkConnection link) throws Exception {
        Frame answer = link.receive();
        assertThat(answer.type()).isEqualTo(UdsFrame.OPEN_ERROR);
        OpenRefusal refusal = OpenRefusal.decode(answer.bytes());
        link.send(UdsFrame.CLOSE); // the dialer's END: the channel is in step again
        return refusal;
    }

    @Test
    void pathsOutsideTheWhitelistAreRefusedEvenToAKeyHolder() throws Exception {
        try (LinkConnection link = rogue.dial(ChannelKind.STREAM)) {
            open(link, dir.resolve("secret/s.sock"));
            OpenRefusal outside = refusalAfterEnd(link);
            assertThat(outside.errno()).isEqualTo(Errno.EACCES);
            assertThat(outside.reason()).startsWith("not under [Udsconnect] in " + dir.resolve("whitelist"));

            open(link, Path.of(dir + "/allowed/../secret/s.sock"));
            assertThat(refusalAfterEnd(link).reason()).endsWith("(resolves to " + dir.toRealPath().resolve("secret/s.sock") + ")");

            open(link, dir.resolve("allowed/link/s.sock"));
            assertThat(refusalAfterEnd(link).reason()).contains("(resolves to " + dir.toRealPath().resolve("secret/s.sock") + ")");

            open(link, dir.resolve("allowed/nobody-listens.sock"));
            OpenRefusal missing = refusalAfterEnd(link);
            assertThat(missing.errno()).isEqualTo(Errno.ENOENT);
        }
        assertThat(proxy.status()).contains("4 refused");
    }

    @Test
    void anAllowedPathIsConnectedAndTheChannelCarriesStreamAfterStream() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("allowed/echo.sock").toString());
        try (NativeSocket server = NativeSocket.listen(address, SocketType.STREAM, 4);
             LinkConnection link = rogue.dial(ChannelKind.STREAM)) {
            for (int round = 0; round < 3; round++) {
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> echoOnce(server));
                open(link, dir.resolve("allowed/echo.sock"));
                link.send(UdsFrame.DATA, 0, ("round " + round).getBytes(StandardCharsets.UTF_8));
                link.send(UdsFrame.SHUT_WR);
                Frame echoed = link.receive();
                assertThat(echoed.type()).isEqualTo(UdsFrame.DATA);
                assertThat(echoed.text()).isEqualTo("round " + round);
                assertThat(link.receive().type()).isIn(UdsFrame.SHUT_WR, UdsFrame.CLOSE);
                assertThat(served.get()).isEqualTo("round " + round);
            }
        }
    }

    @Test
    void aSymlinkIsCheckedWhereItLeadsWhetherOrNotItsOwnPathIsAllowed() throws Exception {
        // allowed/alias -> allowed/real (inside, its own path allowed too) and outside -> allowed/real (its own path
        // not allowed): both lead to an allowed socket and are connected; allowed/link -> secret is refused above
        Path real = Files.createDirectories(dir.resolve("allowed/real"));
        Files.createSymbolicLink(dir.resolve("allowed/alias"), real);
        Files.createSymbolicLink(dir.resolve("outside"), real);
        SockAddr.Unix address = new SockAddr.Unix(real.resolve("echo.sock").toString());
        try (NativeSocket server = NativeSocket.listen(address, SocketType.STREAM, 4);
             LinkConnection link = rogue.dial(ChannelKind.STREAM)) {
            for (Path path : List.of(dir.resolve("allowed/alias/echo.sock"), dir.resolve("outside/echo.sock"))) {
                CompletableFuture<String> served = CompletableFuture.supplyAsync(() -> echoOnce(server));
                open(link, path);
                link.send(UdsFrame.DATA, 0, path.toString().getBytes(StandardCharsets.UTF_8));
                link.send(UdsFrame.SHUT_WR);
                Frame echoed = link.receive();
                assertThat(echoed.type()).as(path.toString()).isEqualTo(UdsFrame.DATA);
                assertThat(echoed.text()).isEqualTo(path.toString());
                assertThat(link.receive().type()).isIn(UdsFrame.SHUT_WR, UdsFrame.CLOSE);
                assertThat(served.get()).isEqualTo(path.toString());
            }
        }
    }

    /** Accepts one connection, echoes what it reads until end of stream, closes. */
    private static String echoOnce(NativeSocket server) {
        try (NativeSocket client = server.accept(); Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            StringBuilder all = new StringBuilder();
            long n;
            while ((n = client.read(buffer, 4096)) > 0) {
                all.append(new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
                client.write(buffer, n);
            }
            return all.toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
