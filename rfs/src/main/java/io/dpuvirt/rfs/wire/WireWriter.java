package io.dpuvirt.rfs.wire;

import io.dpuvirt.fabric.link.Buffer;
import io.dpuvirt.fabric.link.Frame;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * Builds one rfs message in native memory, little-endian, after room for the link's frame header, so that
 * {@code LinkConnection.sendInPlace} sends header and message in one system call. One writer per thread; reused.
 */
public final class WireWriter {
    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED;
    private static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;

    private final Buffer buffer;
    private long position;

    public WireWriter(long initialCapacity) {
        this.buffer = new Buffer(Frame.HEADER + initialCapacity, Frame.HEADER + Frame.MAX_PAYLOAD);
        reset();
    }

    public WireWriter reset() {
        position = Frame.HEADER;
        return this;
    }

    /** The frame: header room followed by the message. */
    public MemorySegment frame() {
        return buffer.segment();
    }

    /** Bytes of message written so far (the frame's payload length). */
    public long length() {
        return position - Frame.HEADER;
    }

    private long claim(long size) {
        buffer.ensure(position + size, position);
        long at = position;
        position += size;
        return at;
    }

    public WireWriter u8(int value) {
        long at = claim(1);
        buffer.segment().set(ValueLayout.JAVA_BYTE, at, (byte) value);
        return this;
    }

    public WireWriter u16(int value) {
        long at = claim(2);
        buffer.segment().set(SHORT, at, (short) value);
        return this;
    }

    public WireWriter u32(int value) {
        long at = claim(4);
        buffer.segment().set(INT, at, value);
        return this;
    }

    public WireWriter u64(long value) {
        long at = claim(8);
        buffer.segment().set(LONG, at, value);
        return this;
    }

    /** A name or relative path: u16 length, UTF-8 bytes. */
    public WireWriter string(String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("string of " + bytes.length + " bytes does not fit the wire format");
        }
        u16(bytes.length);
        long at = claim(bytes.length); // before buffer.segment(): claiming may grow the buffer
        MemorySegment.copy(bytes, 0, buffer.segment(), ValueLayout.JAVA_BYTE, at, bytes.length);
        return this;
    }

    /** u32 length, then the bytes of {@code source}. */
    public WireWriter blob(MemorySegment source) {
        u32((int) source.byteSize());
        long at = claim(source.byteSize());
        MemorySegment.copy(source, 0, buffer.segment(), at, source.byteSize());
        return this;
    }

    public WireWriter blob(byte[] bytes) {
        return blob(MemorySegment.ofArray(bytes));
    }

    /**
     * Reserves a u32 length and {@code capacity} bytes for the caller to fill (a read straight into the message);
     * {@link #commitBlob} then records how many were used.
     */
    public MemorySegment reserveBlob(long capacity) {
        long lengthAt = claim(4);
        long at = claim(capacity);
        position = lengthAt; // rewound until commitBlob
        return buffer.segment().asSlice(at, capacity);
    }

    public WireWriter commitBlob(long used) {
        long lengthAt = position;
        buffer.segment().set(INT, lengthAt, (int) used);
        position = lengthAt + 4 + used;
        return this;
    }
}
