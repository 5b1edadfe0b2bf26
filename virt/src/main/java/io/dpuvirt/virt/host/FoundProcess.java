package io.dpuvirt.virt.host;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.ProcessCalls;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A process found again after a daemon restart: not this daemon's child, so it cannot be waited for.
 * Whether it lives is read from /proc (same start time, not a zombie); a virtual thread looks every
 * {@link #POLL_INTERVAL} to notice its end.
 */
final class FoundProcess implements HostProcess {
    static final Duration POLL_INTERVAL = Duration.ofMillis(100);

    private final ProcessId id;
    private final Optional<Path> runDirectory;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();

    private FoundProcess(ProcessId id, Optional<Path> runDirectory) {
        this.id = id;
        this.runDirectory = runDirectory;
    }

    /** Polls for the process's end in the background; its run directory goes before the end is reported. */
    static FoundProcess watch(ProcessId id, Optional<Path> runDirectory) {
        FoundProcess found = new FoundProcess(id, runDirectory);
        Thread.ofVirtual().name("watch-" + id.pid()).start(found::pollUntilEnded);
        return found;
    }

    /** Whether {@code id} is a live process: same start time, not a zombie. */
    static boolean lives(ProcessId id) {
        return ProcessStat.isRunning(id.pid(), id.startTime());
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
    public void signal(Signal signal) throws IOException {
        // through a pidfd opened while pid and start time matched: a pid given to another process since never gets it
        int pidfd = ProcessCalls.openPidfdIfRunning(id.pid(), id.startTime());
        if (pidfd < 0) {
            return;
        }
        try {
            SignalCalls.sendSignal(pidfd, signal.number());
        } catch (LinuxException e) {
            if (!e.is(Errno.ESRCH)) {
                throw e;
            }
        } finally {
            Libc.close(pidfd);
        }
    }

    @Override
    public Duration cpuTime() throws IOException {
        return LocalHost.cpuTime(id);
    }

    @Override
    public void setAffinity(int threadId, java.util.BitSet cpus) throws IOException {
        LocalThreads.setAffinity(id, threadId, cpus);
    }

    @Override
    public CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    private void pollUntilEnded() {
        try {
            while (lives(id)) {
                Thread.sleep(POLL_INTERVAL);
            }
            runDirectory.ifPresent(RunDirectory::remove);
            exit.complete(new ProcessExit.Vanished());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            exit.completeExceptionally(e);
        }
    }
}
