package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/** A {@link Wire} on a native socket: what the server uses, and what a client uses to pass descriptors. */
final class NativeWire implements Wire {
    private final NativeSocket socket;

    NativeWire(NativeSocket socket) {
        this.socket = socket;
    }

    static NativeWire connect(Path path) throws LinuxException {
        return new NativeWire(NativeSocket.connect(new SockAddr.Unix(path.toString()), SocketType.STREAM));
    }

    /** Writes {@code from} with {@code fds} attached to its first byte (SCM_RIGHTS). */
    void writeWithFds(ByteBuffer from, int[] fds) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(from.remaining());
            bytes.copyFrom(MemorySegment.ofBuffer(from));
            long sent = new MessageIo().send(socket, bytes, bytes.byteSize(), fds);
            socket.write(bytes.asSlice(sent), bytes.byteSize() - sent);
            from.position(from.limit());
        }
    }

    /** {@code into} must be a direct buffer: the kernel writes straight into it. */
    @Override
    public int read(ByteBuffer into) throws IOException {
        long n = socket.read(MemorySegment.ofBuffer(into), into.remaining());
        if (n == 0) {
            return into.hasRemaining() ? -1 : 0;
        }
        into.position(into.position() + (int) n);
        return (int) n;
    }

    @Override
    public void write(ByteBuffer from) throws IOException {
        if (from.isDirect()) {
            socket.write(MemorySegment.ofBuffer(from), from.remaining());
            from.position(from.limit());
        } else {
            writeWithFds(from, new int[0]);
        }
    }

    @Override
    public boolean quiet() {
        try {
            return !socket.readableNow();
        } catch (LinuxException e) {
            return false;
        }
    }

    @Override
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.close();
    }
}
