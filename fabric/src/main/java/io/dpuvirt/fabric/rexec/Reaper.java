package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.log.Log;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * Reaps every child of the server the moment it ends (waitpid(-1)) and tells whoever started it. The server is a
 * child subreaper, so what its programs leave behind becomes its child too and is reaped here, never a zombie.
 *
 * <p>A program is started and registered under one lock that the reaper also takes before looking a pid up, so a
 * program that ends at once (/bin/true) is never reaped before it is known. Exit handlers run on {@code handlers},
 * never on the reaper's thread: a handler that blocks (writing to a slow client) must not hold up other programs.
 */
final class Reaper {
    /** Starts a program and returns its pid. */
    @FunctionalInterface
    interface Start {
        int start() throws LinuxException;
    }

    private final ChildRecords records;
    private final Executor handlers;
    private final Map<Integer, Consumer<ExitStatus>> running = new HashMap<>();
    private int startsSinceLastWait;
    private boolean stopping;

    Reaper(ChildRecords records, Executor handlers) {
        this.records = records;
        this.handlers = handlers;
        Thread.ofPlatform().daemon().name("rexec-reaper").start(this::run);
    }

    /** Runs {@code start} and registers the program it started; {@code onExit} gets its status when it ends. */
    synchronized int start(Start start, Consumer<ExitStatus> onExit) throws LinuxException {
        int pid = start.start();
        running.put(pid, onExit);
        records.add(pid);
        startsSinceLastWait++;
        notifyAll();
        return pid;
    }

    synchronized int runningCount() {
        return running.size();
    }

    /** The reaper's thread ends once no child is left. */
    synchronized void stop() {
        stopping = true;
        notifyAll();
    }

    private void run() {
        for (;;) {
            ProcessCalls.Reaped reaped;
            try {
                reaped = ProcessCalls.awaitAnyChild();
            } catch (LinuxException e) {
                if (!e.is(Errno.ECHILD)) {
                    throw new IllegalStateException("waitpid failed: " + e.getMessage(), e);
                }
                if (!awaitNextStart()) {
                    return;
                }
                continue;
            }
            Consumer<ExitStatus> onExit;
            synchronized (this) {
                onExit = running.remove(reaped.pid());
                if (onExit != null) {
                    records.remove(reaped.pid());
                }
            }
            if (onExit == null) {
                Log.debug("reaped pid " + reaped.pid() + ", left behind by a program");
            } else {
                ExitStatus status = ExitStatus.ofWaitStatus(reaped.status());
                handlers.execute(() -> onExit.accept(status));
            }
        }
    }

    /** With no child at all, waits for the next start (or the stop); false when stopping. */
    private synchronized boolean awaitNextStart() {
        while (startsSinceLastWait == 0 && !stopping) {
            try {
                wait();
            } catch (InterruptedException e) {
                return false;
            }
        }
        if (startsSinceLastWait == 0) {
            return false;
        }
        startsSinceLastWait = 0;
        return true;
    }
}
