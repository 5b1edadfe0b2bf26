package io.dpuvirt.fabric.link;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * One message on a link connection: {@code u8 type, u8 flags, u16 reserved, u32 length (big-endian)} then the
 * payload. Type numbers belong to the service on the channel. The payload is a view into the reader's buffer,
 * valid until the next frame is read.
 */
public record Frame(int type, int flags, MemorySegment payload) {
    public static final int HEADER = 8;
    /** The largest payload a peer may send; a larger length is a protocol error, not an allocation. */
    public static final int MAX_PAYLOAD = 1 << 20;
    /**
     * The length field. A constant, not {@code withOrder} at each use: every new layout computes its var handle
     * again (a hash of the layout and a map lookup), which showed in udsproxyd's profile on every frame.
     */
    static final ValueLayout.OfInt LENGTH = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);

    public long length() {
        return payload.byteSize();
    }

    public byte[] bytes() {
        return payload.toArray(ValueLayout.JAVA_BYTE);
    }

    public String text() {
        return new String(bytes(), StandardCharsets.UTF_8);
    }

    static void writeHeader(MemorySegment target, int type, int flags, long length) {
        target.set(ValueLayout.JAVA_BYTE, 0, (byte) type);
        target.set(ValueLayout.JAVA_BYTE, 1, (byte) flags);
        target.set(ValueLayout.JAVA_SHORT, 2, (short) 0);
        target.set(LENGTH, 4, (int) length);
    }
}
