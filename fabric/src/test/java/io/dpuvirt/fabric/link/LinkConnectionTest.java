package io.dpuvirt.fabric.link;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/** A keep-alive ping never waits behind a peer that stopped reading: the sender must go on noticing the silence. */
@Timeout(30)
class LinkConnectionTest {
    @TempDir
    Path dir;

    @Test
    void aPingIsSentWhenThePeerReadsAndNotWaitedForWhenItDoesNot() throws Exception {
        SockAddr address = new SockAddr.Unix(dir.resolve("link.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 1);
             NativeSocket ours = NativeSocket.connect(address, SocketType.STREAM);
             NativeSocket peer = listener.accept()) {
            LinkConnection connection = new LinkConnection(ours, "peer");
            LinkConnection peerSide = new LinkConnection(peer, "us");
            assertThat(connection.sendUnlessItWaits(7)).isTrue();
            assertThat(peerSide.receive().type()).isEqualTo(7);

            // a writer fills the socket and then waits for room, holding the connection: the peer reads nothing
            CompletableFuture<Void> stuck = CompletableFuture.runAsync(() -> {
                try (Arena arena = Arena.ofConfined()) {
                    MemorySegment buffer = arena.allocate(Frame.HEADER + Frame.MAX_PAYLOAD);
                    while (true) {
                        connection.sendInPlace(8, 0, buffer, Frame.MAX_PAYLOAD);
                    }
                } catch (Exception e) {
                    // the socket was shut at the test's end
                }
            });
            Thread.sleep(300);
            assertThat(stuck).isNotDone();
            assertThat(connection.sendUnlessItWaits(7)).isFalse();
            ours.abort();
            stuck.join();
        }
    }
}
