package io.dpuvirt.virt.host;

import java.io.IOException;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** A process on the host: a child started by {@link Host#spawn}, or one found again by {@link Host#find}. */
public interface HostProcess {
    ProcessId id();

    boolean isAlive();

    /** Sends {@code signal}; a process that already ended is left alone (its pid may be reused). */
    void signal(Signal signal) throws IOException;

    /**
     * Restricts thread {@code threadId} of this process (a vCPU thread, or the process itself) to {@code cpus}; a
     * thread of another process is refused.
     */
    void setAffinity(int threadId, BitSet cpus) throws IOException;

    /**
     * The CPU time its threads have used (user and system), as /proc/PID/stat counts it; zero once it has
     * ended.
     */
    Duration cpuTime() throws IOException;

    /**
     * The start this process belongs to has succeeded: from now it outlives this daemon and the link to its host.
     * Until then a process on a remote host lives only as long as the connection that started it, so that a start
     * this daemon saw fail (the answer lost with the link, the daemon killed meanwhile) leaves nothing running there.
     * A local child needs nothing: a daemon killed meanwhile finds it again through the state it saved.
     */
    default void keep() throws IOException {
    }

    /** Completes when the process has ended, with how. */
    CompletableFuture<ProcessExit> exit();

    /**
     * Sends {@code signal} and waits at most {@code timeout} for the process to end, as {@link #signal} and then
     * {@link #waitFor} do; a host that learns of the signal's delivery late may overlap the two.
     */
    default Optional<ProcessExit> signalAndWaitFor(Signal signal, Duration timeout) throws IOException, InterruptedException {
        signal(signal);
        return waitFor(timeout);
    }

    /** Waits at most {@code timeout} for the process to end. */
    default Optional<ProcessExit> waitFor(Duration timeout) throws InterruptedException {
        try {
            return Optional.of(exit().get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS));
        } catch (java.util.concurrent.TimeoutException e) {
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("waiting for " + id() + " failed", e.getCause());
        }
    }
}
