package io.dpuvirt.virt.host;

import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.WaitStatus;
import io.dpuvirt.common.log.Log;

import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A process this daemon started. A platform thread waits for it without reaping it; then, under the
 * lock {@link #signal} takes, it is marked ended and reaped. A signal therefore never reaches a pid
 * the kernel has given to someone else, and the child never lingers as a zombie.
 */
final class ChildProcess implements HostProcess {
    private final ProcessId id;
    private final Optional<Path> runDirectory;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    private final ReentrantLock lock = new ReentrantLock();
    private boolean ended;

    private ChildProcess(ProcessId id, Optional<Path> runDirectory) {
        this.id = id;
        this.runDirectory = runDirectory;
    }

    /** Waits for the process in the background; its run directory goes before its end is reported. */
    static ChildProcess watch(ProcessId id, Optional<Path> runDirectory) {
        ChildProcess child = new ChildProcess(id, runDirectory);
        Thread.ofPlatform().daemon().name("wait-" + id.pid()).start(child::awaitExit);
        return child;
    }

    @Override
    public ProcessId id() {
        return id;
    }

    @Override
    public boolean isAlive() {
        return !exit.isDone();
    }

    @Override
    public void signal(Signal signal) throws LinuxException {
        lock.lock();
        try {
            if (!ended) {
                SignalCalls.kill(id.pid(), signal.number());
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public java.time.Duration cpuTime() throws java.io.IOException {
        return LocalHost.cpuTime(id);
    }

    @Override
    public void setAffinity(int threadId, java.util.BitSet cpus) throws java.io.IOException {
        LocalThreads.setAffinity(id, threadId, cpus);
    }

    @Override
    public CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    private void awaitExit() {
        try {
            ProcessCalls.awaitExit(id.pid());
            WaitStatus status;
            lock.lock();
            try {
                ended = true;
                status = ProcessCalls.reap(id.pid());
            } finally {
                lock.unlock();
            }
            runDirectory.ifPresent(RunDirectory::remove);
            exit.complete(status.exited() ? new ProcessExit.Exited(status.exitCode())
                    : new ProcessExit.Signalled(status.signal()));
        } catch (LinuxException e) {
            Log.error("cannot wait for process " + id.pid() + ": " + e.getMessage());
            exit.completeExceptionally(e);
        }
    }
}
