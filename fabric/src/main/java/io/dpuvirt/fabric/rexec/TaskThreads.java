package io.dpuvirt.fabric.rexec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Platform threads kept after their task for the next one (for a minute, then they end), each named for the task it
 * runs: rexec_server's threads for connections and for programs' output, which it used to start for each. A thread's
 * start (clone, a stack mapped and faulted in, the JVM's set-up of the thread) costs most where page faults are dear
 * (11 µs each on the machine of 2026-11-24): reusing them took the in-process spawn of {@code /bin/true} from 6.96 to
 * 6.05 ms (medians of eight runs of {@code bench/RexecApiBench.java}, the builds taking turns; reused threads faster
 * in seven of the eight pairs). Not for the client's threads: in the one-shot {@code rexec} command, interpreted, a
 * pool's machinery costs more than a thread start.
 * Platform threads, not virtual ones: these tasks block in native reads, which would hold a virtual thread's carrier.
 */
final class TaskThreads {
    private final String idleName;
    private final ExecutorService threads;

    TaskThreads(String idleName, long stackSize) {
        this.idleName = idleName;
        this.threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().stackSize(stackSize).name(idleName).factory());
    }

    /** Runs {@code task} on a kept thread, or a new one, named {@code name} while it runs. */
    void start(String name, Runnable task) {
        threads.execute(() -> {
            Thread current = Thread.currentThread();
            current.setName(name);
            try {
                task.run();
            } finally {
                current.setName(idleName);
            }
        });
    }
}
