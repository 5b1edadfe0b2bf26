package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.LinkConnection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two relays joined by a link whose sockets hold almost nothing, so that every frame written waits until the other
 * relay reads it: both programs send while they read, and a relay that waited in a write while doing both directions
 * itself would wait forever for the other, which waits the same way.
 */
class StreamRelayTest {
    private static final int SIZE = 8 << 20;

    @TempDir
    Path dir;

    private final List<NativeSocket> sockets = new ArrayList<>();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        sockets.forEach(NativeSocket::close); // also wakes whatever still waits on them
        threads.shutdownNow();
    }

    @Test
    void bothDirectionsAtOnceThroughALinkThatHoldsNothing() throws Exception {
        NativeSocket[] link = pair("link");
        link[0].setBufferSizes(4096);
        link[1].setBufferSizes(4096);
        NativeSocket[] a = pair("a");
        NativeSocket[] b = pair("b");
        FdPassing noDescriptors = new FdPassing(() -> {
            throw new AssertionError("no descriptors are passed here");
        });
        Future<StreamRelay.Outcome> relayA = threads.submit(() -> StreamRelay.run(
                new StreamChannel(new LinkConnection(link[0], "b")), a[0], noDescriptors, threads, "relay a"));
        Future<StreamRelay.Outcome> relayB = threads.submit(() -> StreamRelay.run(
                new StreamChannel(new LinkConnection(link[1], "a")), b[0], noDescriptors, threads, "relay b"));
        Future<Long> sentByA = threads.submit(() -> send(a[1]));
        Future<Long> sentByB = threads.submit(() -> send(b[1]));
        Future<Long> receivedByA = threads.submit(() -> receive(a[1]));
        Future<Long> receivedByB = threads.submit(() -> receive(b[1]));

        assertThat(receivedByA.get(60, TimeUnit.SECONDS)).isEqualTo(SIZE);
        assertThat(receivedByB.get(60, TimeUnit.SECONDS)).isEqualTo(SIZE);
        assertThat(sentByA.get()).isEqualTo(SIZE);
        assertThat(sentByB.get()).isEqualTo(SIZE);
        a[1].close();
        b[1].close();
        assertThat(relayA.get(60, TimeUnit.SECONDS)).isEqualTo(StreamRelay.Outcome.COMPLETED);
        assertThat(relayB.get(60, TimeUnit.SECONDS)).isEqualTo(StreamRelay.Outcome.COMPLETED);
    }

    /**
     * When a bulk stream's reader closes in the middle, the rest is dropped, the stream ends on both sides, and the
     * channel is in step for the next stream, which arrives whole.
     */
    @Test
    @Timeout(60)
    void aReaderThatLeavesInTheMiddleEndsTheStreamAndTheChannelCarriesTheNext() throws Exception {
        NativeSocket[] link = pair("link");
        FdPassing noDescriptors = new FdPassing(() -> {
            throw new AssertionError("no descriptors are passed here");
        });
        StreamChannel channelA = new StreamChannel(new LinkConnection(link[0], "b"));
        StreamChannel channelB = new StreamChannel(new LinkConnection(link[1], "a"));

        NativeSocket[] a = pair("a");
        NativeSocket[] b = pair("b");
        Future<StreamRelay.Outcome> relayA = threads.submit(() -> StreamRelay.run(channelA, a[0], noDescriptors, threads, "relay a"));
        Future<StreamRelay.Outcome> relayB = threads.submit(() -> StreamRelay.run(channelB, b[0], noDescriptors, threads, "relay b"));
        Future<Long> sentByA = threads.submit(() -> send(a[1]));
        MemorySegment some = Arena.ofAuto().allocate(1 << 20);
        b[1].readFully(some, some.byteSize());
        b[1].close(); // in the middle of the stream
        // the rest is dropped on b's side; a's writer ends, having written all or with its socket shut under it
        assertThat(sentByA).satisfiesAnyOf(sent -> assertThat(sent).succeedsWithin(30, TimeUnit.SECONDS),
                sent -> assertThat(sent).failsWithin(30, TimeUnit.SECONDS));
        a[1].close();
        assertThat(relayA.get(30, TimeUnit.SECONDS)).isEqualTo(StreamRelay.Outcome.COMPLETED);
        assertThat(relayB.get(30, TimeUnit.SECONDS)).isEqualTo(StreamRelay.Outcome.COMPLETED);

        NativeSocket[] c = pair("c");
        NativeSocket[] d = pair("d");
        threads.submit(() -> StreamRelay.run(channelA, c[0], noDescriptors, threads, "relay c"));
        threads.submit(() -> StreamRelay.run(channelB, d[0], noDescriptors, threads, "relay d"));
        Future<Long> sentByC = threads.submit(() -> send(c[1]));
        assertThat(receive(d[1])).isEqualTo(SIZE);
        assertThat(sentByC.get(30, TimeUnit.SECONDS)).isEqualTo(SIZE);
    }

    @Test
    @Timeout(30)
    void aSeqpacketMessageWithoutBytesIsAMessageNotTheEnd() throws Exception {
        NativeSocket[] link = pair("link", SocketType.STREAM);
        NativeSocket[] a = pair("a", SocketType.SEQPACKET);
        NativeSocket[] b = pair("b", SocketType.SEQPACKET);
        FdPassing noDescriptors = new FdPassing(() -> {
            throw new AssertionError("no descriptors are passed here");
        });
        threads.submit(() -> StreamRelay.run(new StreamChannel(new LinkConnection(link[0], "b")), a[0], noDescriptors, threads, "relay a"));
        threads.submit(() -> StreamRelay.run(new StreamChannel(new LinkConnection(link[1], "a")), b[0], noDescriptors, threads, "relay b"));
        MemorySegment buffer = Arena.ofAuto().allocate(64);
        for (String message : List.of("one", "", "three")) {
            buffer.setString(0, message);
            a[1].write(buffer, message.length()); // "" too: one send without bytes
        }
        List<Long> lengths = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            lengths.add(b[1].read(buffer, buffer.byteSize()));
        }
        assertThat(lengths).containsExactly(3L, 0L, 5L);
        a[1].shutdownOutput();
        assertThat(b[1].read(buffer, buffer.byteSize())).isZero();
        assertThat(b[1].inputEnded()).as("the end, after the empty message").isTrue();
    }

    /** Sends SIZE bytes of {@link #patternByte} in 1 MiB writes, then half-closes. */
    private static long send(NativeSocket socket) throws Exception {
        MemorySegment chunk = Arena.ofAuto().allocate(1 << 20);
        long sent = 0;
        while (sent < SIZE) {
            for (long i = 0; i < chunk.byteSize(); i++) {
                chunk.set(ValueLayout.JAVA_BYTE, i, patternByte(sent + i));
            }
            socket.write(chunk, chunk.byteSize());
            sent += chunk.byteSize();
        }
        socket.shutdownOutput();
        return sent;
    }

    /** Reads to the end, checking that every byte is the pattern's at its place: none lost, doubled or moved. */
    private static long receive(NativeSocket socket) throws Exception {
        MemorySegment buffer = Arena.ofAuto().allocate(1 << 20);
        long received = 0;
        for (long n; (n = socket.read(buffer, buffer.byteSize())) > 0; ) {
            for (long i = 0; i < n; i++) {
                if (buffer.get(ValueLayout.JAVA_BYTE, i) != patternByte(received + i)) {
                    throw new AssertionError("byte " + (received + i) + " is not the one sent there");
                }
            }
            received += n;
        }
        return received;
    }

    /** A pattern whose period (251) divides no buffer or frame size. */
    private static byte patternByte(long offset) {
        return (byte) (offset % 251);
    }

    private NativeSocket[] pair(String name) throws Exception {
        return pair(name, SocketType.STREAM);
    }

    /** A connected pair of unix sockets of {@code type}. */
    private NativeSocket[] pair(String name, SocketType type) throws Exception {
        try (NativeSocket listener = NativeSocket.listen(new SockAddr.Unix(dir.resolve(name).toString()), type, 1)) {
            NativeSocket one = NativeSocket.connect(new SockAddr.Unix(dir.resolve(name).toString()), type);
            sockets.add(one);
            NativeSocket other = listener.accept();
            sockets.add(other);
            return new NativeSocket[] {one, other};
        }
    }
}
