package io.dpuvirt.fabric.link;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Payloads spliced from the link into a local socket: whole and in place, and the frames after them intact. */
@Timeout(60)
class SplicedPayloadTest {
    private static final int DATA = 3, NOTE = 9;
    private static final long PAYLOAD = Frame.MAX_PAYLOAD;

    @TempDir
    Path dir;

    private final List<NativeSocket> sockets = new ArrayList<>();
    /** Threads of their own: each blocks in a system call (the common pool may have one thread on two cores). */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        sockets.forEach(NativeSocket::abort); // wakes what still waits on them
        threads.shutdownNow();
        sockets.forEach(NativeSocket::close);
    }

    @Test
    void largePayloadsGoToTheTargetWholeAndTheFramesAfterThemAreRead() throws Exception {
        NativeSocket[] link = pair("link");
        NativeSocket[] target = pair("target");
        LinkConnection sender = new LinkConnection(link[0], "receiver");
        LinkConnection receiver = new LinkConnection(link[1], "sender");
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendFrames(sender, 2), threads);
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> readPattern(target[1]), threads);

        for (int frame = 0; frame < 2; frame++) {
            Frame.Head head = receiver.receiveHead();
            assertThat(head.type()).isEqualTo(DATA);
            assertThat(receiver.worthSplicing(head)).isTrue();
            assertThat(receiver.splicePayload(head, target[0])).isTrue();
            assertThat(receiver.receive().text()).isEqualTo("after " + frame);
        }
        target[0].shutdownOutput();
        assertThat(read.get(30, TimeUnit.SECONDS)).isEqualTo(2 * PAYLOAD);
        sent.get(30, TimeUnit.SECONDS);
    }

    @Test
    void aPayloadForATargetThatWentAwayIsDroppedAndTheFrameAfterItIsRead() throws Exception {
        NativeSocket[] link = pair("link");
        NativeSocket[] target = pair("target");
        LinkConnection sender = new LinkConnection(link[0], "receiver");
        LinkConnection receiver = new LinkConnection(link[1], "sender");
        target[1].close(); // the local program left
        CompletableFuture<Void> sent = CompletableFuture.runAsync(() -> sendFrames(sender, 1), threads);

        Frame.Head head = receiver.receiveHead();
        assertThat(receiver.splicePayload(head, target[0])).isFalse();
        assertThat(receiver.receive().text()).isEqualTo("after 0");
        sent.get(30, TimeUnit.SECONDS);
    }

    /** {@code count} times: a DATA frame of {@link #PAYLOAD} pattern bytes, then a NOTE frame "after N". */
    private static void sendFrames(LinkConnection sender, int count) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(Frame.HEADER + PAYLOAD);
            for (int n = 0; n < count; n++) {
                for (long i = 0; i < PAYLOAD; i++) {
                    frame.set(ValueLayout.JAVA_BYTE, Frame.HEADER + i, patternByte(n * PAYLOAD + i));
                }
                sender.sendInPlace(DATA, 0, frame, PAYLOAD);
                sender.send(NOTE, 0, ("after " + n).getBytes(StandardCharsets.UTF_8));
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long readPattern(NativeSocket socket) {
        MemorySegment buffer = Arena.ofAuto().allocate(64 * 1024);
        long received = 0;
        try {
            for (long n; (n = socket.read(buffer, buffer.byteSize())) > 0; ) {
                for (long i = 0; i < n; i++) {
                    if (buffer.get(ValueLayout.JAVA_BYTE, i) != patternByte(received + i)) {
                        throw new AssertionError("byte " + (received + i) + " is not the one sent there");
                    }
                }
                received += n;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        return received;
    }

    private static byte patternByte(long offset) {
        return (byte) (offset % 251);
    }

    private NativeSocket[] pair(String name) throws Exception {
        SockAddr address = new SockAddr.Unix(dir.resolve(name).toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 1)) {
            NativeSocket one = NativeSocket.connect(address, SocketType.STREAM);
            sockets.add(one);
            NativeSocket other = listener.accept();
            sockets.add(other);
            return new NativeSocket[] {one, other};
        }
    }
}
