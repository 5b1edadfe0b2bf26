package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.log.Log;

import java.util.HashMap;
import java.util.Map;

/**
 * Reaps every child of this process the moment it ends and tells whoever started it. A server is a child
 * subreaper, so what its programs leave behind becomes its child too and is reaped here, never a zombie.
 *
 * <p>One per process: waitid(P_ALL) takes any child, so a reaper per server would take the children of another
 * server in the same JVM (tests run one after another, and a stopped server's detached programs live on).
 *
 * <p>A child is started and registered under this reaper's lock. The reaper's thread learns of an end without
 * reaping (WNOWAIT), looks the child up under the same lock, and only then reaps it: a program that ends at once
 * (/bin/true) is never reaped before it is known, and until it is, /proc still shows its start time.
 */
final class Reaper {
    private static final Reaper PROCESS = new Reaper();

    /** Starts a program and returns its pid. */
    @FunctionalInterface
    interface Start {
        int start() throws LinuxException;
    }

    /** Whoever started a child, told of its start and of its end. */
    interface Child {
        /** Under the reaper's lock, right after the start: records the program before its end can be reported. */
        void started(ProgramId program);

        /** On the reaper's thread, once reaped: must not block (a slow client would hold up every other end). */
        void ended(ProgramId program, ExitStatus status);
    }

    private record Registered(ProgramId program, Child child) {
    }

    private final Map<Integer, Registered> children = new HashMap<>();
    private int startsSinceLastWait;

    private Reaper() {
        Thread.ofPlatform().daemon().name("rexec-reaper").start(this::run);
    }

    static Reaper process() {
        return PROCESS;
    }

    /** Runs {@code start} and registers the child it started; {@code child} is told of its end. */
    synchronized ProgramId start(Start start, Child child) throws LinuxException {
        int pid = start.start();
        ProgramId program = new ProgramId(pid, ProcessStat.read(pid)
                .orElseThrow(() -> new IllegalStateException("/proc/" + pid + "/stat of a child not yet reaped is unreadable"))
                .startTime());
        children.put(pid, new Registered(program, child));
        child.started(program);
        startsSinceLastWait++;
        notifyAll();
        return program;
    }

    /** The reaper's thread: it must outlive anything one child's end can throw, or no end is ever reported again. */
    private void run() {
        for (;;) {
            try {
                reapNext();
            } catch (LinuxException | RuntimeException e) {
                Log.error("rexec reaper: " + e.getMessage() + "; going on in 100 ms");
                pause();
            }
        }
    }

    private void reapNext() throws LinuxException {
        int pid;
        try {
            pid = ProcessCalls.awaitAnyExit();
        } catch (LinuxException e) {
            if (!e.is(Errno.ECHILD)) {
                throw e;
            }
            awaitNextStart();
            return;
        }
        Registered registered;
        synchronized (this) {
            registered = children.remove(pid);
        }
        ExitStatus status;
        try {
            status = ExitStatus.ofWaitStatus(ProcessCalls.reap(pid).raw());
        } catch (LinuxException e) {
            if (e.is(Errno.ECHILD) && registered == null) {
                // a child whose exec failed: posix_spawn reaped it itself, while its start held the lock
                Log.debug("pid " + pid + " was reaped by posix_spawn after its exec failed");
                return;
            }
            throw e;
        }
        if (registered == null) {
            Log.debug("reaped pid " + pid + ", left behind by a program");
        } else {
            registered.child().ended(registered.program(), status);
        }
    }

    private static void pause() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            // nothing interrupts the reaper's thread; it goes on
        }
    }

    /** With no child at all, waits for the next start. */
    private synchronized void awaitNextStart() {
        while (startsSinceLastWait == 0) {
            try {
                wait();
            } catch (InterruptedException e) {
                // nothing interrupts the reaper's thread; it waits on
            }
        }
        startsSinceLastWait = 0;
    }
}
