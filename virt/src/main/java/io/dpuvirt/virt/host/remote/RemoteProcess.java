package io.dpuvirt.virt.host.remote;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.rexec.ExitStatus;
import io.dpuvirt.fabric.rexec.ProgramId;
import io.dpuvirt.fabric.rexec.ProgramState;
import io.dpuvirt.fabric.rexec.RequestRefusedException;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessExit;
import io.dpuvirt.virt.host.ProcessId;
import io.dpuvirt.virt.host.Signal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A detached program of the HOST's rexec_server. Its end is learnt by a watch request; a watch that breaks (the
 * link is cut, the server restarts) says nothing about the program, which runs on: it is watched again every
 * {@link #RETRY_PAUSE} until the server answers. So {@link #exit()} completes only when the program has really
 * ended, and a guest never looks crashed because the DPU lost sight of it for a while.
 */
final class RemoteProcess implements HostProcess {
    static final Duration RETRY_PAUSE = Duration.ofSeconds(1);

    private final RexecClient rexec;
    private final ProcessId id;
    private final ProgramId program;
    private final Optional<Path> runDirectory;
    private final CompletableFuture<ProcessExit> exit = new CompletableFuture<>();
    /** The start to confirm ({@link #keep}); none for a program found again. */
    private final Optional<RexecClient.Detached> start;
    /** Set once the first watch failed, so that only the first is logged; watches follow one another. */
    private volatile boolean lostSight;

    private RemoteProcess(RexecClient rexec, ProcessId id, Optional<Path> runDirectory, Optional<RexecClient.Detached> start) {
        this.rexec = rexec;
        this.start = start;
        this.id = id;
        this.program = new ProgramId(id.pid(), id.startTime());
        this.runDirectory = runDirectory;
    }

    /**
     * A program just started, watched first on the connection that started it ({@code started}'s end, which names
     * the run directory as a watch does).
     */
    static RemoteProcess started(RexecClient rexec, RexecClient.Detached started, Optional<Path> runDirectory) {
        ProgramId program = started.program();
        RemoteProcess process = new RemoteProcess(rexec, new ProcessId(program.pid(), program.startTime()), runDirectory, Optional.of(started));
        process.follow(started.end());
        return process;
    }

    /**
     * Watches the program; every watch names its run directory, which rexec_server removes at the program's end
     * before it answers (also when it answers that the program is long gone).
     */
    static RemoteProcess watch(RexecClient rexec, ProcessId id, Optional<Path> runDirectory) {
        RemoteProcess process = new RemoteProcess(rexec, id, runDirectory, Optional.empty());
        Thread.ofVirtual().name("remote-watch-" + id.pid()).start(process::watchAgain); // a link that is down must not hold the caller
        return process;
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
        try {
            rexec.signal(program, signal.number());
        } catch (RequestRefusedException e) {
            if (!e.programGone()) {
                throw e;
            } // ended: nothing to signal, as for a local process
        }
    }

    /**
     * The answer to a SIGNAL comes back through both udsproxyds after rexec_server has sent the signal, and on a busy
     * machine each relay may wait a few milliseconds to be scheduled: the request leaves from this thread, the wait
     * for the end starts at once, and the answer only ends it early when it is a failure.
     */
    @Override
    public Optional<ProcessExit> signalAndWaitFor(Signal signal, Duration timeout) throws IOException, InterruptedException {
        CompletableFuture<ProcessExit> endOrFailure = exit.copy();
        rexec.signalAnsweredLater(program, signal.number()).whenComplete((done, failure) -> {
            Throwable cause = failure instanceof CompletionException wrapped ? wrapped.getCause() : failure;
            // a program that ended meanwhile had nothing to signal, as for a local process: its end comes anyway
            if (cause != null && !(cause instanceof RequestRefusedException refused && refused.programGone())) {
                endOrFailure.completeExceptionally(cause);
            }
        });
        try {
            return Optional.of(endOrFailure.get(timeout.toNanos(), TimeUnit.NANOSECONDS));
        } catch (TimeoutException e) {
            return Optional.empty();
        } catch (ExecutionException e) {
            switch (e.getCause()) {
                case IOException io -> throw io;
                case RuntimeException runtime -> throw runtime;
                default -> throw new IllegalStateException("waiting for " + id + " failed", e.getCause()); // as waitFor
            }
        }
    }

    @Override
    public void setAffinity(int threadId, BitSet cpus) throws IOException {
        rexec.setAffinity(program, threadId, cpus);
    }

    @Override
    public Duration cpuTime() throws IOException {
        try {
            return rexec.cpuTime(program);
        } catch (RequestRefusedException e) {
            if (e.programGone()) {
                return Duration.ZERO;
            }
            throw e;
        }
    }

    /** rexec_server kills a detached program whose start its client did not confirm before the connection ended. */
    @Override
    public void keep() throws IOException {
        if (start.isPresent()) {
            start.get().confirm();
        }
    }

    @Override
    public CompletableFuture<ProcessExit> exit() {
        return exit;
    }

    private void watchAgain() {
        try {
            follow(runDirectory.isPresent() ? rexec.watch(program, runDirectory.get()) : rexec.watch(program));
        } catch (IOException e) {
            follow(CompletableFuture.failedFuture(e));
        }
    }

    /**
     * The end, completed on the thread that reads the watch's answer: a hand-off to another thread here would add
     * its wake-up to every destroy. A watch that failed is renewed {@link #RETRY_PAUSE} later.
     */
    private void follow(CompletableFuture<ProgramState.Ended> watch) {
        watch.whenComplete((end, failure) -> {
            if (failure == null) {
                exit.complete(end.status().map(RemoteProcess::exitOf).orElseGet(ProcessExit.Vanished::new));
                return;
            }
            Throwable cause = failure instanceof CompletionException ? failure.getCause() : failure;
            if (cause instanceof RequestRefusedException refused && refused.programGone()) {
                exit.complete(new ProcessExit.Vanished()); // the server holds no record of it: it is gone
                return;
            }
            if (!lostSight) {
                Log.warn("lost sight of process " + id.pid() + " on the HOST (" + cause.getMessage()
                        + "): it runs on; watching it again every " + RETRY_PAUSE.toSeconds() + " s");
                lostSight = true;
            }
            CompletableFuture.delayedExecutor(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS, Thread::startVirtualThread)
                    .execute(this::watchAgain);
        });
    }

    private static ProcessExit exitOf(ExitStatus status) {
        return status.killedBySignal() ? new ProcessExit.Signalled(status.signal()) : new ProcessExit.Exited(status.code());
    }
}
