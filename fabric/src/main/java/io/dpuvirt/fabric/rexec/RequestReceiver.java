package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.fabric.link.Buffer;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;

/**
 * Reads one client's requests, a frame each: a SPAWN and the descriptors that came with it (recvmsg, SCM_RIGHTS),
 * or a request about a detached program or a file request (which come without descriptors). A client that connects
 * and says nothing is dropped after {@link #TIMEOUT}; after an answered request the next one may follow on the same
 * connection, and the connection ends quietly when the client closes it or says nothing for the idle timeout. A SPAWN
 * or a WATCH keeps the connection: nothing is read here after it.
 */
final class RequestReceiver {
    static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final int INITIAL_BUFFER = 4096;

    private final NativeSocket socket;
    private final Duration idleTimeout;
    private final MessageIo io = new MessageIo();
    private Buffer buffer = newBuffer();
    private int[] fds = new int[0];
    private boolean idleTimeoutSet;

    RequestReceiver(NativeSocket socket, Duration idleTimeout) {
        this.socket = socket;
        this.idleTimeout = idleTimeout;
    }

    private static Buffer newBuffer() {
        return new Buffer(INITIAL_BUFFER, Protocol.HEADER + FileRequest.MAX_PAYLOAD);
    }

    /** The connection's first request, which must come within {@link #TIMEOUT}. */
    ClientRequest first() throws IOException {
        socket.setReceiveTimeout(TIMEOUT);
        return receive(false);
    }

    /**
     * The request after an answered one; null when the client closed the connection, or said nothing for the idle
     * timeout, before it. The timeout is set once per connection (SO_RCVTIMEO), not for every request.
     */
    ClientRequest next() throws IOException {
        if (!idleTimeoutSet) {
            socket.setReceiveTimeout(idleTimeout);
            idleTimeoutSet = true;
        }
        return receive(true);
    }

    private ClientRequest receive(boolean mayEnd) throws IOException {
        fds = new int[0];
        if (buffer.capacity() > INITIAL_BUFFER) {
            buffer = newBuffer(); // a large FILE_WRITE's memory is not kept for a connection that may idle
        }
        try {
            return read(mayEnd);
        } catch (IOException | RuntimeException e) {
            closeFds();
            throw e;
        }
    }

    private ClientRequest read(boolean mayEnd) throws IOException {
        if (!readFully(buffer.segment(), Protocol.HEADER, mayEnd)) {
            return null;
        }
        ClientRequest request = decode();
        if (request instanceof SpawnRequest || request instanceof ProgramRequest.Watch) {
            // the connection is the program's session's, or the watch's, from now on: its reads wait as long as they must
            socket.setReceiveTimeout(Duration.ZERO);
        }
        return request;
    }

    /** The request whose header is in the buffer, its payload read. */
    private ClientRequest decode() throws IOException {
        ByteBuffer header = buffer.segment().asSlice(0, Protocol.HEADER).asByteBuffer();
        int type = Protocol.type(header, 0);
        int length = Protocol.length(header, 0, maxPayload(type));
        buffer.ensure(Protocol.HEADER + length, Protocol.HEADER);
        readFully(buffer.segment().asSlice(Protocol.HEADER), length, false);
        ByteBuffer payload = buffer.segment().asSlice(Protocol.HEADER, length).asByteBuffer();
        if (type == Protocol.SPAWN) {
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
        throw new ProtocolException("a client's request is SPAWN, a request about a detached program or a file request, not "
                + Protocol.typeName(type));
    }

    /**
     * Reads {@code length} bytes; false if {@code mayEnd} and the client closed the connection, or the idle timeout
     * passed (EAGAIN), before the first byte. Ending anywhere else cuts a request short.
     */
    private boolean readFully(MemorySegment into, long length, boolean mayEnd) throws IOException {
        long done = 0;
        while (done < length) {
            long n;
            try {
                n = io.receive(socket, into.asSlice(done), length - done);
            } catch (LinuxException e) {
                if (mayEnd && done == 0 && e.is(Errno.EAGAIN)) {
                    return false;
                }
                throw e;
            }
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
                if (mayEnd && done == 0) {
                    return false;
                }
                throw new EOFException("the client closed the connection before its request was complete");
            }
            done += n;
        }
        return true;
    }

    /** Closes the descriptors received (after a failure; the launcher closes them once the program started). */
    private void closeFds() {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
