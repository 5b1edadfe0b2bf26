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
 * Reads a client's first frame: a SPAWN and the descriptors that came with it (recvmsg, SCM_RIGHTS), or a request
 * about a detached program or a file request (which come without descriptors). A client that connects and says
 * nothing is dropped after {@link #TIMEOUT}.
 */
final class RequestReceiver {
    static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final NativeSocket socket;
    private final MessageIo io = new MessageIo();
    private int[] fds = new int[0];

    private RequestReceiver(NativeSocket socket) {
        this.socket = socket;
    }

    static ClientRequest receive(NativeSocket socket) throws IOException {
        RequestReceiver receiver = new RequestReceiver(socket);
        try {
            socket.setReceiveTimeout(TIMEOUT);
            ClientRequest request = receiver.read();
            socket.setReceiveTimeout(Duration.ZERO);
            return request;
        } catch (IOException | RuntimeException e) {
            receiver.closeFds();
            throw e;
        }
    }

    private ClientRequest read() throws IOException {
        Buffer buffer = new Buffer(4096, Protocol.HEADER + FileRequest.MAX_PAYLOAD);
        readFully(buffer.segment(), Protocol.HEADER);
        java.nio.ByteBuffer header = buffer.segment().asSlice(0, Protocol.HEADER).asByteBuffer();
        int type = Protocol.type(header, 0);
        boolean spawn = type == Protocol.SPAWN;
        int length = Protocol.length(header, 0, maxPayload(type));
        buffer.ensure(Protocol.HEADER + length, Protocol.HEADER);
        readFully(buffer.segment().asSlice(Protocol.HEADER), length);
        java.nio.ByteBuffer payload = buffer.segment().asSlice(Protocol.HEADER, length).asByteBuffer();
        if (spawn) {
            return SpawnRequest.decode(payload, fds);
        }
        if (fds.length > 0) {
            throw new ProtocolException(Protocol.typeName(type) + " came with descriptors");
        }
        return FileRequest.isFileRequest(type) ? FileRequest.decode(type, payload) : ProgramRequest.decode(type, payload);
    }

    private static int maxPayload(int type) throws ProtocolException {
        if (type == Protocol.SPAWN) {
            return Protocol.MAX_SPAWN;
        }
        if (ProgramRequest.isProgramRequest(type)) {
            return ProgramRequest.MAX_PAYLOAD;
        }
        if (FileRequest.isFileRequest(type)) {
            return FileRequest.MAX_PAYLOAD;
        }
        throw new ProtocolException("a client must start with SPAWN, a request about a detached program or a file request, not "
                + Protocol.typeName(type));
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
                throw new EOFException("the client closed the connection before its request was complete");
            }
            done += n;
        }
    }

    /** Closes the descriptors received (after a failure; the launcher closes them once the program started). */
    private void closeFds() {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
