package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/** kill(2) and sigwaitinfo(2): sending signals, and receiving those a process keeps blocked. */
public final class SignalCalls {
    /** glibc's sigset_t: 1024 bits. */
    static final int SIGSET_BYTES = 128;
    private static final MethodHandle KILL = Downcalls.errnoCall("kill", -1, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle SIGWAITINFO = Downcalls.errnoCall("sigwaitinfo", -1, JAVA_INT, ADDRESS, ADDRESS);

    private SignalCalls() {
    }

    /** kill(2): {@code pid} > 0 is a process, {@code -pgid} a process group. */
    public static void kill(int pid, int signal) throws LinuxException {
        Downcalls.checked("kill", pid + " " + Signals.name(signal), c -> (int) KILL.invokeExact(c, pid, signal));
    }

    /** A sigset_t holding {@code signals}, allocated in {@code arena}. */
    public static MemorySegment signalSet(Arena arena, int... signals) {
        MemorySegment set = arena.allocate(SIGSET_BYTES, 8);
        for (int signal : signals) {
            int bit = signal - 1;
            set.set(JAVA_BYTE, bit / 8, (byte) (set.get(JAVA_BYTE, bit / 8) | (1 << (bit % 8))));
        }
        return set;
    }

    /**
     * Waits until one of the signals in {@code set} is pending and takes it. The signals must be blocked in every
     * thread of the process, or one of them may run the signal's default action first.
     */
    public static int awaitSignal(MemorySegment set) throws LinuxException {
        return (int) Downcalls.checked("sigwaitinfo", null, c -> (int) SIGWAITINFO.invokeExact(c, set, MemorySegment.NULL));
    }
}
