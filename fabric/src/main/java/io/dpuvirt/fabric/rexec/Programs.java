package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The programs one server starts, attached or detached, as the process-wide {@link Reaper} reports them: how many
 * run, and each end handed to the server's own threads (a handler may block on a slow client, the reaper must not).
 * Once the server has stopped, the ends of what it left running (its detached programs) are no longer its business:
 * a server that starts next learns of them itself.
 */
final class Programs implements AutoCloseable {
    private final ExecutorService handlers = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("rexec-exit-", 0).factory());
    private final AtomicInteger running = new AtomicInteger();
    private volatile boolean closed;

    /** Starts a program; {@code child} hears of its start under the reaper's lock, of its end on a handler thread. */
    ProgramId start(Reaper.Start start, Reaper.Child child) throws LinuxException {
        return Reaper.process().start(start, new Reaper.Child() {
            @Override
            public void started(ProgramId program) {
                running.incrementAndGet();
                child.started(program);
            }

            @Override
            public void ended(ProgramId program, ExitStatus status) {
                running.decrementAndGet();
                try {
                    if (!closed) {
                        handlers.execute(() -> child.ended(program, status));
                        return;
                    }
                } catch (RejectedExecutionException e) {
                    // closed meanwhile
                }
                Log.debug(program + ", left running by a stopped server, " + status);
            }
        });
    }

    int running() {
        return running.get();
    }

    @Override
    public void close() {
        closed = true;
        handlers.shutdown();
    }
}
