package io.dpuvirt.rfs.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/**
 * One request read from /dev/fuse: {@code fuse_in_header} (len, opcode, unique, nodeid, uid, gid, pid) and the
 * body, a view into the reader's buffer that is valid only until the handler returns.
 */
public record FuseRequest(int opcode, long unique, long nodeId, int uid, int gid, int pid, MemorySegment body) {
    public static final int HEADER = 40;

    static FuseRequest parse(MemorySegment buffer, long length) {
        int declared = buffer.get(ValueLayout.JAVA_INT, 0);
        long bodyLength = Math.min(length, declared) - HEADER;
        return new FuseRequest(buffer.get(ValueLayout.JAVA_INT, 4), buffer.get(ValueLayout.JAVA_LONG, 8),
                buffer.get(ValueLayout.JAVA_LONG, 16), buffer.get(ValueLayout.JAVA_INT, 24),
                buffer.get(ValueLayout.JAVA_INT, 28), buffer.get(ValueLayout.JAVA_INT, 32),
                buffer.asSlice(HEADER, Math.max(0, bodyLength)));
    }

    public int u32(long offset) {
        return body.get(ValueLayout.JAVA_INT_UNALIGNED, offset);
    }

    public long u64(long offset) {
        return body.get(ValueLayout.JAVA_LONG_UNALIGNED, offset);
    }

    /** The NUL-terminated string at {@code offset} of the body. */
    public String string(long offset) {
        long end = offset;
        while (end < body.byteSize() && body.get(ValueLayout.JAVA_BYTE, end) != 0) {
            end++;
        }
        return new String(body.asSlice(offset, end - offset).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }

    /** The offset just after the NUL-terminated string at {@code offset} (for bodies holding two names). */
    public long after(long offset) {
        long end = offset;
        while (end < body.byteSize() && body.get(ValueLayout.JAVA_BYTE, end) != 0) {
            end++;
        }
        return end + 1;
    }
}
