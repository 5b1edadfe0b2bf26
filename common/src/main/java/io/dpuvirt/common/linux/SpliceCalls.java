package io.dpuvirt.common.linux;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * splice(2): bytes moved between a pipe and a socket or file inside the kernel, by reference to their pages, without
 * passing through this process. A call class of its own (see {@link Downcalls}): only relays need it.
 */
public final class SpliceCalls {
    /** Flags of splice(2); MOVE is a hint, MORE says more data follows (TCP then waits to fill a segment). */
    public static final int SPLICE_F_MOVE = 1, SPLICE_F_NONBLOCK = 2, SPLICE_F_MORE = 4;
    private static final MethodHandle SPLICE =
            Downcalls.errnoCall("splice", -1, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);

    private SpliceCalls() {
    }

    /**
     * Moves at most {@code length} bytes from {@code in} to {@code out}, one of which is a pipe, at their current
     * positions; returns how many moved, 0 at the end of {@code in}'s stream.
     */
    public static long splice(int in, int out, long length, int flags) throws LinuxException {
        return Downcalls.checked("splice", null,
                c -> (long) SPLICE.invokeExact(c, in, MemorySegment.NULL, out, MemorySegment.NULL, length, flags));
    }
}
