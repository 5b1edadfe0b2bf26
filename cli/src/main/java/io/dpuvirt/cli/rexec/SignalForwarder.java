package io.dpuvirt.cli.rexec;

import io.dpuvirt.cli.RawTerminal;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.fabric.rexec.RemoteProcess;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Passes the signals rexec receives on to the remote program. bin/rexec starts the JVM with these signals blocked
 * in every thread (env --block-signal) and with -Xrs, so none of them runs a default action or a JVM handler
 * (SIGQUIT would print a thread dump, SIGTERM would run shutdown hooks): they stay pending until this thread takes
 * them with sigwaitinfo. Nothing is lost while the thread starts, as pending signals wait.
 *
 * <p>SIGTSTP also stops rexec itself after passing it on, so that a shell's job control sees the job stop; the
 * SIGCONT of {@code fg} then resumes both. SIGSTOP cannot be caught by any process: it stops rexec alone. On a
 * terminal (-t) SIGWINCH becomes the remote terminal's new size instead.
 */
final class SignalForwarder {
    /** In step with the --block-signal list of bin/rexec. */
    static final int[] FORWARDED = {Signals.SIGHUP, Signals.SIGINT, Signals.SIGQUIT, Signals.SIGUSR1, Signals.SIGUSR2,
            Signals.SIGTERM, Signals.SIGCONT, Signals.SIGTSTP, Signals.SIGWINCH};

    static final int START_DELAY_MILLIS = 50;

    private SignalForwarder() {
    }

    static void start(RemoteProcess process, RawTerminal terminal) {
        Thread.ofPlatform().daemon().name("rexec-signals").start(() -> forward(process, terminal));
    }

    private static void forward(RemoteProcess process, RawTerminal terminal) {
        try {
            Thread.sleep(START_DELAY_MILLIS);
        } catch (InterruptedException e) {
            return;
        }
        int ownPid = (int) ProcessHandle.current().pid();
        MemorySegment set = SignalCalls.signalSet(Arena.global(), FORWARDED);
        try {
            for (;;) {
                int signal = SignalCalls.awaitSignal(set);
                if (signal == Signals.SIGWINCH && terminal != null) {
                    process.resize(terminal.size());
                } else if (signal == Signals.SIGTSTP) {
                    process.signal(signal);
                    stopSelf(terminal, ownPid);
                } else {
                    process.signal(signal);
                }
            }
        } catch (IOException e) {
            // the connection ended: the main thread reports how
        }
    }

    private static void stopSelf(RawTerminal terminal, int ownPid) throws LinuxException {
        if (terminal != null) {
            terminal.restore();
        }
        SignalCalls.kill(ownPid, Signals.SIGSTOP);
        if (terminal != null) {
            terminal.reapply();
        }
    }
}
