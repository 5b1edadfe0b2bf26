package io.dpuvirt.rfs.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** Reads one rfs message (little-endian); a message shorter than its fields is a {@link WireException}. */
public final class WireReader {
    private final MemorySegment message;
    private long position;

    public WireReader(MemorySegment message) {
        this.message = message;
    }

    private long take(long size) throws WireException {
        if (position + size > message.byteSize()) {
            throw new WireException("message of " + message.byteSize() + " bytes ends inside a field at " + position);
        }
        long at = position;
        position += size;
        return at;
    }

    public int u8() throws WireException {
        return message.get(ValueLayout.JAVA_BYTE, take(1)) & 0xff;
    }

    public int u16() throws WireException {
        return message.get(ValueLayout.JAVA_SHORT_UNALIGNED, take(2)) & 0xffff;
    }

    public int u32() throws WireException {
        return message.get(ValueLayout.JAVA_INT_UNALIGNED, take(4));
    }

    public long u64() throws WireException {
        return message.get(ValueLayout.JAVA_LONG_UNALIGNED, take(8));
    }

    public String string() throws WireException {
        int length = u16();
        long at = take(length);
        return new String(message.asSlice(at, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** A u32-length blob as a view into the message (valid as long as the message is). */
    public MemorySegment blob() throws WireException {
        long length = u32() & 0xffffffffL;
        return message.asSlice(take(length), length);
    }
}
