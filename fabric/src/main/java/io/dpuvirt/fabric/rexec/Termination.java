package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.log.Log;

import java.time.Duration;
import java.util.Collection;

/** Ends processes the polite way: SIGTERM to each and its process group, SIGKILL to what is left after a grace period. */
final class Termination {
    private Termination() {
    }

    static void terminate(Collection<Integer> pids, Duration grace) {
        signal(pids, Signals.SIGTERM);
        long deadline = System.nanoTime() + grace.toNanos();
        while (pids.stream().anyMatch(Termination::exists) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        for (int pid : pids) {
            // only what is left: a pid or group number with nothing left in it may have been given out again
            if (ProcessStat.groupHasLiveMembers(pid)) {
                signal(pid, -pid, Signals.SIGKILL);
            }
            if (exists(pid)) {
                signal(pid, pid, Signals.SIGKILL);
            }
        }
    }

    private static void signal(Collection<Integer> pids, int signal) {
        for (int pid : pids) {
            signal(pid, -pid, signal); // its group,
            signal(pid, pid, signal); // and itself should it have left its group
        }
    }

    private static void signal(int pid, int target, int signal) {
        try {
            SignalCalls.kill(target, signal);
        } catch (LinuxException e) {
            if (!e.is(Errno.ESRCH)) {
                Log.warn("cannot signal pid " + pid + ": " + e.getMessage());
            }
        }
    }

    /** Still running: a zombie waiting for its parent to reap it counts as ended. */
    private static boolean exists(int pid) {
        return ProcessStat.read(pid).filter(stat -> !stat.ended()).isPresent();
    }
}
