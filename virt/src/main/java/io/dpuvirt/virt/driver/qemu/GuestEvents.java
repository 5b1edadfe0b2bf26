package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.log.Log;

import java.util.concurrent.LinkedBlockingQueue;

/**
 * Runs a guest's reactions to what it does on its own (monitor events, its process ending) one after the
 * other on a thread of their own. The monitor's reader must never run them: a reaction waits for the
 * domain's lock, whose holder may be waiting for the very answer the reader would read next.
 */
final class GuestEvents {
    private final LinkedBlockingQueue<Runnable> queue = new LinkedBlockingQueue<>();
    private final String guest;

    GuestEvents(String guest) {
        this.guest = guest;
        Thread.ofVirtual().name("events " + guest).start(this::run);
    }

    void submit(Runnable reaction) {
        queue.add(reaction);
    }

    /** Ends the thread once the reactions submitted so far have run. */
    void finish() {
        queue.add(Finish.INSTANCE);
    }

    private enum Finish implements Runnable {
        INSTANCE;

        @Override
        public void run() {
        }
    }

    private void run() {
        try {
            while (true) {
                Runnable reaction = queue.take();
                if (reaction == Finish.INSTANCE) {
                    return;
                }
                try {
                    reaction.run();
                } catch (RuntimeException e) {
                    Log.error("guest " + guest + ": handling an event failed: " + e);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
