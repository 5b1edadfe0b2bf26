package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** waitpid(2) and prctl(PR_SET_CHILD_SUBREAPER): for a process that starts children and must reap them itself. */
public final class ProcessCalls {
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final MethodHandle WAITPID = Downcalls.errnoCall("waitpid", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle PRCTL = Downcalls.errnoCall("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);

    private ProcessCalls() {
    }

    /** A child that ended: its pid and the raw wait status (decode with WIFEXITED & co.). */
    public record Reaped(int pid, int status) {
    }

    /** waitpid(-1, &status, 0): blocks until any child ends; ECHILD when there is none. */
    public static Reaped awaitAnyChild() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            int pid = (int) Downcalls.checked("waitpid", null, c -> (int) WAITPID.invokeExact(c, -1, status, 0));
            return new Reaped(pid, status.get(JAVA_INT, 0));
        }
    }

    /**
     * Makes orphaned descendants of this process its children instead of PID 1's, so that it reaps them at once
     * (PID 1 here reaps only about once a second) and they cannot slip away from its bookkeeping.
     */
    public static void becomeChildSubreaper() throws LinuxException {
        Downcalls.checked("prctl", "PR_SET_CHILD_SUBREAPER", c -> (int) PRCTL.invokeExact(c, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L));
    }
}
