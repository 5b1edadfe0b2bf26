package io.dpuvirt.fabric.rexec;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Platform threads kept after their task for the next one (for a minute, then they end), each named for the task it
 * runs. A program started through rexec used to start three threads: the server's for the connection and for the
 * program's output, the client's for the answers. Each start (clone, a stack mapped and faulted in, the JVM's set-up
 * of the thread) costs most where page faults are dear (11 µs each on the machine of 2026-11-24): reusing them took
 * the in-process spawn of {@code /bin/true} from 6.67 to 6.46 ms (medians of eight runs of
 * {@code bench/RexecApiBench.java}, the builds taking turns; reused threads faster in seven of the eight pairs).
 * Platform threads, not virtual ones: these tasks block in native reads, which would hold a virtual thread's carrier.
 */
final class TaskThreads {
    private final String idleName;
    private final ExecutorService threads;

    /** {@code stackSize} 0: the JVM's default. */
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
