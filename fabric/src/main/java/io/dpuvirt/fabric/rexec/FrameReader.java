package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Splits the bytes of a {@link Wire} into frames. A frame's payload is a view into the reader's buffer, valid until
 * the next call. {@link #next()} blocks; a poll-driven reader calls {@link #readOnce()} when the wire is readable and
 * then takes {@link #buffered()} frames until there are none. The buffer holds a data frame from the start, and
 * grows for a larger one (a file's content) only when one comes, until that one is consumed: a connection a client
 * keeps does not keep a file's size of memory.
 */
final class FrameReader {
    /** One frame: its type and payload. */
    record Frame(int type, ByteBuffer payload) {
        String describe() {
            return Protocol.typeName(type) + " (" + payload.remaining() + " bytes)";
        }
    }

    private final Wire wire;
    private final int maxPayload;
    private final int initialCapacity;
    /** Unconsumed bytes are [start, position). */
    private ByteBuffer buffer;
    private int start;

    FrameReader(Wire wire, int maxPayload) {
        this.wire = wire;
        this.maxPayload = maxPayload;
        this.initialCapacity = Protocol.HEADER + Math.min(maxPayload, Protocol.MAX_DATA);
        this.buffer = ByteBuffer.allocateDirect(initialCapacity);
    }

    /** The next frame, reading as needed; null at end of stream between frames. */
    Frame next() throws IOException {
        for (;;) {
            Frame frame = buffered();
            if (frame != null) {
                return frame;
            }
            if (readOnce() < 0) {
                return null;
            }
        }
    }

    /** One read from the wire; -1 at end of stream (an error if it cuts a frame short). */
    int readOnce() throws IOException {
        if (start > 0) { // the frames before start were consumed: move the partial one to the front
            buffer.limit(buffer.position()).position(start);
            buffer.compact();
            start = 0;
        }
        if (!buffer.hasRemaining()) {
            growForTheFrame();
        }
        int n = wire.read(buffer);
        if (n < 0 && buffer.position() > start) {
            throw new ProtocolException("connection closed in the middle of a frame");
        }
        return n;
    }

    /**
     * The buffer is full of one incomplete frame (a complete one would have been taken first), whose length
     * {@link #buffered()} checked: room for all of it.
     */
    private void growForTheFrame() {
        ByteBuffer larger = ByteBuffer.allocateDirect(Protocol.HEADER + buffer.getInt(4));
        buffer.flip();
        buffer = larger.put(buffer);
    }

    /** A complete frame already read, or null. */
    Frame buffered() throws IOException {
        int available = buffer.position() - start;
        if (available < Protocol.HEADER) {
            return null;
        }
        int length = Protocol.length(buffer, start, maxPayload);
        if (available < Protocol.HEADER + length) {
            return null;
        }
        Frame frame = new Frame(Protocol.type(buffer, start), buffer.slice(start + Protocol.HEADER, length));
        start += Protocol.HEADER + length;
        if (start == buffer.position()) { // the frame's payload stays valid: it holds on to the buffer it views
            buffer = buffer.capacity() > initialCapacity ? ByteBuffer.allocateDirect(initialCapacity) : buffer.clear();
            start = 0;
        }
        return frame;
    }
}
