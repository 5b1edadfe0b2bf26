package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An authenticated connection to the peer carrying {@link Frame}s. One thread reads; any thread may write
 * (writes are serialized so frames never interleave).
 */
public final class LinkConnection implements AutoCloseable {
    private static final long INITIAL_READ_BUFFER = 64 * 1024;

    private final NativeSocket socket;
    private final String peer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final Buffer readBuffer = new Buffer(INITIAL_READ_BUFFER, Frame.HEADER + Frame.MAX_PAYLOAD);
    private long readStart;
    private long readEnd;

    public LinkConnection(NativeSocket socket, String peer) {
        this.socket = socket;
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }

    /** Sends a frame whose payload is small and built in the heap (control messages). */
    public void send(int type, int flags, byte[] payload) throws LinuxException {
        send(type, flags, payload, null);
    }

    /**
     * As {@link #send(int, int, byte[])}; when the socket cannot take the whole frame at once, runs
     * {@code beforeWaiting} (if not null) before it waits for room.
     */
    public void send(int type, int flags, byte[] payload, Runnable beforeWaiting) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(Frame.HEADER + payload.length);
            Frame.writeHeader(frame, type, flags, payload.length);
            MemorySegment.copy(payload, 0, frame, ValueLayout.JAVA_BYTE, Frame.HEADER, payload.length);
            write(frame, frame.byteSize(), beforeWaiting);
        }
    }

    public void send(int type) throws LinuxException {
        send(type, 0, new byte[0]);
    }

    /**
     * Sends a frame without payload unless that would wait, for another writer or for room in the socket; false
     * when it was not sent. For keep-alive pings: one that waited behind a peer that stopped reading would keep
     * the sender from noticing its silence.
     */
    public boolean sendUnlessItWaits(int type) throws LinuxException {
        if (!writeLock.tryLock()) {
            return false;
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(Frame.HEADER);
            Frame.writeHeader(frame, type, 0, 0);
            long sent = socket.sendNow(frame, Frame.HEADER);
            if (sent == 0) {
                return false;
            }
            if (sent < Frame.HEADER) {
                socket.write(frame.asSlice(sent), Frame.HEADER - sent); // a frame is never left half sent
            }
            return true;
        } finally {
            writeLock.unlock();
        }
    }

    /**
     * Sends {@code length} payload bytes that the caller placed at offset {@link Frame#HEADER} of {@code buffer};
     * the header is written into the room before them, so header and payload leave in one system call.
     */
    public void sendInPlace(int type, int flags, MemorySegment buffer, long length) throws LinuxException {
        sendInPlace(type, flags, buffer, length, (Runnable) null);
    }

    /**
     * As {@link #sendInPlace(int, int, MemorySegment, long)}; when the socket cannot take the whole frame at once,
     * runs {@code beforeWaiting} (if not null) before it waits for room.
     */
    public void sendInPlace(int type, int flags, MemorySegment buffer, long length, Runnable beforeWaiting)
            throws LinuxException {
        if (length > Frame.MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload of " + length + " bytes exceeds " + Frame.MAX_PAYLOAD);
        }
        Frame.writeHeader(buffer, type, flags, length);
        write(buffer, Frame.HEADER + length, beforeWaiting);
    }

    // rfs: a frame whose payload ends with data that lives elsewhere (a FUSE write's data), sent without copying it
    /**
     * Sends a frame whose payload is the {@code length} bytes the caller placed at offset {@link Frame#HEADER} of
     * {@code buffer} followed by all of {@code tail}, in one gathering system call.
     */
    public void sendInPlace(int type, int flags, MemorySegment buffer, long length, MemorySegment tail) throws LinuxException {
        long payload = length + tail.byteSize();
        if (payload > Frame.MAX_PAYLOAD) {
            throw new IllegalArgumentException("frame payload of " + payload + " bytes exceeds " + Frame.MAX_PAYLOAD);
        }
        Frame.writeHeader(buffer, type, flags, payload);
        writeLock.lock();
        try {
            long head = Frame.HEADER + length;
            long sent = socket.writeGathering(buffer, head, tail);
            if (sent < head) {
                socket.write(buffer.asSlice(sent), head - sent);
                socket.write(tail, tail.byteSize());
            } else if (sent < head + tail.byteSize()) {
                socket.write(tail.asSlice(sent - head), tail.byteSize() - (sent - head));
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void write(MemorySegment bytes, long length, Runnable beforeWaiting) throws LinuxException {
        writeLock.lock();
        try {
            long sent = beforeWaiting == null ? 0 : socket.sendNow(bytes, length);
            if (sent < length) {
                if (beforeWaiting != null) {
                    beforeWaiting.run();
                }
                socket.write(bytes.asSlice(sent), length - sent);
            }
        } finally {
            writeLock.unlock();
        }
    }

    /** Whether bytes of the next frame were read already: a poll of the socket would not show them. */
    public boolean hasBufferedInput() {
        return readEnd > readStart;
    }

    /** The next frame; its payload is valid until the next call. End of stream is an {@link EOFException}. */
    public Frame receive() throws IOException {
        fill(Frame.HEADER);
        MemorySegment data = readBuffer.segment();
        int type = data.get(ValueLayout.JAVA_BYTE, readStart) & 0xff;
        int flags = data.get(ValueLayout.JAVA_BYTE, readStart + 1) & 0xff;
        long length = data.get(Frame.LENGTH, readStart + 4) & 0xffffffffL;
        if (length > Frame.MAX_PAYLOAD) {
            throw new LinkProtocolException("peer " + peer + " sent a frame of " + length + " bytes (limit " + Frame.MAX_PAYLOAD + ")");
        }
        fill(Frame.HEADER + length);
        long payloadStart = readStart + Frame.HEADER;
        readStart = payloadStart + length;
        return new Frame(type, flags, readBuffer.segment().asSlice(payloadStart, length));
    }

    /** Makes at least {@code needed} unread bytes available from readStart, compacting and growing as needed. */
    private void fill(long needed) throws IOException {
        if (readEnd - readStart >= needed) {
            return;
        }
        if (readBuffer.capacity() - readStart < needed) {
            long unread = readEnd - readStart;
            MemorySegment data = readBuffer.segment();
            MemorySegment.copy(data, readStart, data, 0, unread);
            readStart = 0;
            readEnd = unread;
            readBuffer.ensure(needed, unread);
        }
        while (readEnd - readStart < needed) {
            MemorySegment data = readBuffer.segment();
            long n = socket.read(data.asSlice(readEnd), readBuffer.capacity() - readEnd);
            if (n == 0) {
                throw new EOFException("peer " + peer + " closed the link connection");
            }
            readEnd += n;
        }
    }

    /** Wakes the reader and fails pending writes; safe from any thread. */
    public void abort() {
        socket.abort();
    }

    public NativeSocket socket() {
        return socket;
    }

    @Override
    public void close() {
        socket.close();
    }

    @Override
    public String toString() {
        return "link connection to " + peer;
    }
}
