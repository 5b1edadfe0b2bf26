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
        signal(pids, Signals.SIGKILL);
    }

    private static void signal(Collection<Integer> pids, int signal) {
        for (int pid : pids) {
            for (int target : new int[] {-pid, pid}) { // its group, and itself should it have left its group
                try {
                    SignalCalls.kill(target, signal);
                } catch (LinuxException e) {
                    if (!e.is(Errno.ESRCH)) {
                        Log.warn("cannot signal pid " + pid + ": " + e.getMessage());
                    }
                }
            }
        }
    }

    /** Still running: a zombie waiting for its parent to reap it counts as ended. */
    private static boolean exists(int pid) {
        return ProcessStat.read(pid).filter(stat -> !stat.ended()).isPresent();
    }
}
