package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;

/** What a test that starts detached programs does at its end: they outlive the server, so the test ends them. */
public final class DetachedProgramCleanup {
    private DetachedProgramCleanup() {
    }

    /** SIGKILL to the program and its process group, if the pid is still that program's. */
    public static void killIfRunning(ProgramId program) {
        if (ProcessStat.read(program.pid()).filter(stat -> stat.startTime() == program.startTime()).isEmpty()) {
            return;
        }
        for (int target : new int[] {-program.pid(), program.pid()}) {
            try {
                SignalCalls.kill(target, Signals.SIGKILL);
            } catch (LinuxException e) {
                if (!e.is(Errno.ESRCH)) {
                    throw new AssertionError(e);
                }
            }
        }
    }
}
