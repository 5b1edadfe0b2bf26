package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * renameat2(2): a call class of its own (see {@link Downcalls}), because {@code common.fs.AtomicFiles}, which every
 * daemon uses, needs this one call and not the thirty of {@link FileCalls}.
 */
public final class RenameCalls {
    public static final int RENAME_NOREPLACE = 1, RENAME_EXCHANGE = 2;
    private static final MethodHandle RENAMEAT2 =
            Downcalls.errnoCall("renameat2", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);

    private RenameCalls() {
    }

    public static void renameat2(int fromDir, String from, int toDir, String to, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            Downcalls.checked("renameat2", from + " -> " + to, c -> (int) RENAMEAT2.invokeExact(c, fromDir, cfrom, toDir, cto, flags));
        }
    }
}
