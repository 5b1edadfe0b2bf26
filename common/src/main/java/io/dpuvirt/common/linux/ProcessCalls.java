package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * Waiting for and reaping children (waitpid, waitid), prctl(PR_SET_CHILD_SUBREAPER), CPU affinity and pidfds: for a
 * process that starts children, must reap them itself, pins their threads, and follows processes that are not its
 * children.
 */
public final class ProcessCalls {
    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int P_ALL = 0, P_PID = 1, WEXITED = 4, WNOWAIT = 0x0100_0000;
    /** sizeof(siginfo_t) on Linux, and where si_pid sits in it on 64-bit architectures (after three ints and padding). */
    private static final long SIGINFO_SIZE = 128, SIGINFO_PID = 16;
    private static final MethodHandle WAITPID = Downcalls.errnoCall("waitpid", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WAITID = Downcalls.errnoCall("waitid", -1, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle PRCTL = Downcalls.errnoCall("prctl", 1, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle SCHED_SETAFFINITY = Downcalls.errnoCall("sched_setaffinity", -1, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);

    private ProcessCalls() {
    }

    /**
     * Blocks until any child has exited and returns its pid, without reaping it (waitid(P_ALL) with WNOWAIT): the
     * child stays a zombie, its pid and /proc entry reserved, until {@link #reap}. ECHILD when there is no child.
     */
    public static int awaitAnyExit() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE);
            Downcalls.checked("waitid", "any child", c -> (int) WAITID.invokeExact(c, P_ALL, 0, info, WEXITED | WNOWAIT));
            return info.get(JAVA_INT, SIGINFO_PID);
        }
    }

    /**
     * Blocks until child {@code pid} has exited, without reaping it (waitid with WNOWAIT): until {@link #reap} the
     * pid stays a zombie and cannot be reused, so a signal sent meanwhile cannot reach another process.
     */
    public static void awaitExit(int pid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE);
            Downcalls.checked("waitid", "pid " + pid, c -> (int) WAITID.invokeExact(c, P_PID, pid, info, WEXITED | WNOWAIT));
        }
    }

    /** waitpid(2) for an exited child: reaps it and returns its wait status. */
    public static WaitStatus reap(int pid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            Downcalls.checked("waitpid", "pid " + pid, c -> (int) WAITPID.invokeExact(c, pid, status, 0));
            return new WaitStatus(status.get(JAVA_INT, 0));
        }
    }

    /** sched_setaffinity(2) of thread (or process) {@code tid}: the CPUs set in {@code cpus}. */
    public static void setAffinity(int tid, java.util.BitSet cpus) throws LinuxException {
        long[] words = cpus.toLongArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(JAVA_LONG, Math.max(1, words.length));
            for (int i = 0; i < words.length; i++) {
                mask.setAtIndex(JAVA_LONG, i, words[i]);
            }
            Downcalls.checked("sched_setaffinity", "thread " + tid + ", cpus " + cpus,
                    c -> (int) SCHED_SETAFFINITY.invokeExact(c, tid, mask.byteSize(), mask));
        }
    }

    /**
     * Makes orphaned descendants of this process its children instead of PID 1's, so that it reaps them at once
     * (PID 1 here reaps only about once a second) and they cannot slip away from its bookkeeping.
     */
    public static void becomeChildSubreaper() throws LinuxException {
        Downcalls.checked("prctl", "PR_SET_CHILD_SUBREAPER", c -> (int) PRCTL.invokeExact(c, PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L));
    }

    /**
     * pidfd_open(2): a descriptor that refers to process {@code pid} for as long as it is open, whatever pid the
     * kernel gives out meanwhile. It polls readable (POLLIN) once the process has ended, whether it is this process's
     * child or not. Close-on-exec.
     */
    public static int openPidfd(int pid) throws LinuxException {
        return (int) Downcalls.checked("pidfd_open", "pid " + pid, c -> (long) Pidfds.SYSCALL.invokeExact(c, Pidfds.SYS_PIDFD_OPEN, pid, 0));
    }

    /**
     * A pidfd for the process {@code pid} that started at {@code startTime} (field 22 of /proc/PID/stat), or -1 when
     * it no longer runs. The start time is read again once the pidfd is open: the pidfd holds whatever process had the
     * pid at that moment, and only the same start time says it is the one meant. Signals sent through it then cannot
     * reach another process.
     */
    public static int openPidfdIfRunning(int pid, long startTime) {
        if (!ProcessStat.isRunning(pid, startTime)) {
            return -1;
        }
        int pidfd;
        try {
            pidfd = openPidfd(pid);
        } catch (LinuxException e) {
            return -1; // ESRCH: gone since
        }
        if (ProcessStat.isRunning(pid, startTime)) {
            return pidfd;
        }
        Libc.close(pidfd);
        return -1;
    }

    /**
     * Created on first use (see {@link Downcalls}): only rexec_server follows processes by pidfd. Through syscall(2),
     * not glibc's wrapper, which glibc has only since 2.36 (openEuler 22.03 has 2.34); the number is the same on every
     * architecture.
     */
    private static final class Pidfds {
        static final long SYS_PIDFD_OPEN = 434;
        static final MethodHandle SYSCALL = Downcalls.errnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, JAVA_INT);
    }
}
