package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/** kill(2), pidfd_send_signal(2) and sigwaitinfo(2): sending signals, and receiving those a process keeps blocked. */
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

    /**
     * pidfd_send_signal(2): {@code signal} to the process {@code pidfd} refers to (not its group); ESRCH once it has
     * ended. Unlike kill(2) it cannot reach another process that reused the pid.
     */
    public static void sendSignal(int pidfd, int signal) throws LinuxException {
        Downcalls.checked("pidfd_send_signal", "pidfd " + pidfd + " " + Signals.name(signal),
                c -> (long) PidfdSignal.SYSCALL.invokeExact(c, PidfdSignal.SYS_PIDFD_SEND_SIGNAL, pidfd, signal, MemorySegment.NULL, 0));
    }

    /**
     * Created on first use (see {@link Downcalls}): rexec's client sends signals with kill(2) and must not pay for this
     * handle. Through syscall(2) for glibc before 2.36, as {@link ProcessCalls#openPidfd}.
     */
    private static final class PidfdSignal {
        static final long SYS_PIDFD_SEND_SIGNAL = 424;
        static final MethodHandle SYSCALL = Downcalls.errnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    }
}
