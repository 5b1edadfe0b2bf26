package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.fabric.link.Buffer;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads a client's SPAWN frame and the descriptors that came with it (recvmsg, SCM_RIGHTS). A client that connects
 * and says nothing is dropped after {@link #TIMEOUT}.
 */
final class SpawnReceiver {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NativeSocket socket;
    private final MessageIo io = new MessageIo();
    private int[] fds = new int[0];

    private SpawnReceiver(NativeSocket socket) {
        this.socket = socket;
    }

    static SpawnRequest receive(NativeSocket socket) throws IOException {
        SpawnReceiver receiver = new SpawnReceiver(socket);
        try {
            socket.setReceiveTimeout(TIMEOUT);
            SpawnRequest request = receiver.read();
            socket.setReceiveTimeout(Duration.ZERO);
            return request;
        } catch (IOException | RuntimeException e) {
            receiver.closeFds();
            throw e;
        }
    }

    private SpawnRequest read() throws IOException {
        Buffer buffer = new Buffer(4096, Protocol.HEADER + Protocol.MAX_SPAWN);
        readFully(buffer.segment(), Protocol.HEADER);
        java.nio.ByteBuffer header = buffer.segment().asSlice(0, Protocol.HEADER).asByteBuffer();
        if (Protocol.type(header, 0) != Protocol.SPAWN) {
            throw new ProtocolException("a client must start with SPAWN, not " + Protocol.typeName(Protocol.type(header, 0)));
        }
        int length = Protocol.length(header, 0, Protocol.MAX_SPAWN);
        buffer.ensure(Protocol.HEADER + length, Protocol.HEADER);
        readFully(buffer.segment().asSlice(Protocol.HEADER), length);
        return SpawnRequest.decode(buffer.segment().asSlice(Protocol.HEADER, length).asByteBuffer(), fds);
    }

    private void readFully(MemorySegment into, long length) throws IOException {
        long done = 0;
        while (done < length) {
            long n = io.receive(socket, into.asSlice(done), length - done);
            int[] received = io.receivedFds();
            if (received.length > 0) {
                int old = fds.length;
                fds = Arrays.copyOf(fds, old + received.length);
                System.arraycopy(received, 0, fds, old, received.length);
            }
            if (io.truncated()) {
                throw new ProtocolException("more than " + MessageIo.MAX_FDS + " descriptors passed");
            }
            if (n == 0) {
                throw new EOFException("the client closed the connection before its SPAWN was complete");
            }
            done += n;
        }
    }

    /** Closes the descriptors received (after a failure; the session closes them once the program started). */
    private void closeFds() {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
