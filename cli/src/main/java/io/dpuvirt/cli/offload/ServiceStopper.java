package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.virt.host.ProcessId;

import java.time.Duration;

/**
 * Stops a daemon its pid file names: SIGTERM, a bounded wait, then SIGKILL. Signals go through a pidfd opened while
 * the pid and start time still matched, so they cannot reach a process that was given the pid since.
 */
final class ServiceStopper {
    static final Duration TERM_GRACE = Duration.ofSeconds(20);
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    private static final Duration POLL = Duration.ofMillis(50);

    private ServiceStopper() {
    }

    /** How a stop went. */
    enum Ending {
        /** It was not running (any more) when asked to stop. */
        NOT_RUNNING,
        /** It ended on SIGTERM within the grace period: a clean stop. */
        TERMINATED,
        /** It needed SIGKILL. */
        KILLED
    }

    /** Stops the daemon {@code name} that is {@code process}. */
    static Ending stop(String name, ProcessId process) throws OffloadException, InterruptedException {
        int pidfd = ProcessCalls.openPidfdIfRunning(process.pid(), process.startTime());
        if (pidfd < 0) {
            return Ending.NOT_RUNNING;
        }
        try {
            if (signalAndWait(name, pidfd, process, Signals.SIGTERM, TERM_GRACE)) {
                return Ending.TERMINATED;
            }
            if (signalAndWait(name, pidfd, process, Signals.SIGKILL, KILL_GRACE)) {
                return Ending.KILLED;
            }
            throw new OffloadException(name + " (pid " + process.pid() + ") is still there " + KILL_GRACE.toSeconds()
                    + " s after SIGKILL (state " + ProcessStat.read(process.pid()).map(s -> String.valueOf(s.state())).orElse("?")
                    + "; a process in D state waits for its I/O)");
        } finally {
            Libc.close(pidfd);
        }
    }

    /** Sends {@code signal} and waits up to {@code grace} for the process to end; true once it has. */
    private static boolean signalAndWait(String name, int pidfd, ProcessId process, int signal, Duration grace)
            throws OffloadException, InterruptedException {
        try {
            SignalCalls.sendSignal(pidfd, signal);
        } catch (LinuxException e) {
            if (!ProcessStat.isRunning(process.pid(), process.startTime())) {
                return true; // ended just before the signal (ESRCH)
            }
            throw new OffloadException("cannot send " + Signals.name(signal) + " to " + name + " (pid " + process.pid() + "): "
                    + e.getMessage());
        }
        long deadline = System.nanoTime() + grace.toNanos();
        while (ProcessStat.isRunning(process.pid(), process.startTime())) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL);
        }
        return true;
    }
}
