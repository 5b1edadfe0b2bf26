package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.log.Log;

import java.util.concurrent.Semaphore;

/**
 * Runs a task on a thread of its own each time it is asked to, once for however many requests came while it waited
 * or ran: every request is followed by a run that starts after it, so the run sees whatever prompted the request.
 */
final class CoalescingWorker {
    private final Semaphore requested = new Semaphore(0);
    private final Runnable task;
    private final Thread thread;
    private volatile boolean stopped;

    CoalescingWorker(String name, Runnable task) {
        this.task = task;
        this.thread = Thread.ofPlatform().daemon().name(name).unstarted(this::loop);
    }

    void start() {
        thread.start();
    }

    void request() {
        requested.release();
    }

    /** The thread ends after the run under way, if any; later requests are ignored. */
    void stop() {
        stopped = true;
        requested.release();
    }

    private void loop() {
        while (true) {
            requested.acquireUninterruptibly();
            requested.drainPermits();
            if (stopped) {
                return;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                Log.error(thread.getName() + " failed: " + e);
            }
        }
    }
}
