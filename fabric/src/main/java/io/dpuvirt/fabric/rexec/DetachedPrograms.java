package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.collect.BoundedMap;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * The registry of detached programs: those this server started, and those a previous server on the same socket
 * started that still run (loaded from {@link DetachedRecords}). Requests name a program by pid and start time and
 * anything else is refused, so nothing here reaches a process the server did not start detached. Each running
 * program is held by a pidfd: a signal reaches that very process, never one that reused its pid.
 *
 * <p>A program this server started ends through the {@link Reaper}, with its exit status; one a previous server
 * started is not this server's child, its end is noticed on its pidfd ({@link PidfdWatcher}), and its status is
 * unknown. Ends are remembered for a while (the last {@link #REMEMBERED_ENDS}), so that a STATUS or WATCH arriving
 * after the end still learns how it ended.
 *
 * <p>A program runs <em>unconfirmed</em> from its start until its client confirms the start ({@link Protocol#CONFIRM}).
 * One whose client goes before confirming is killed ({@link #killUnconfirmed}): that client, and the virtd behind it,
 * took the start for failed (the answer lost with the link, the guest's start cut off), and nothing else would ever
 * end the program. A server that finds an unconfirmed record on load kills that program for the same reason.
 */
final class DetachedPrograms implements AutoCloseable {
    static final int REMEMBERED_ENDS = 1024;

    /** A running detached program; {@code pidfd} -1 if none could be opened (then it cannot be signalled). */
    private record Running(DetachedRecord record, int pidfd) {
    }

    private final DetachedRecords records;
    private final Map<Integer, Running> running = new HashMap<>();
    private final Map<ProgramId, ProgramState.Ended> ended = BoundedMap.eldestGoes(REMEMBERED_ENDS);
    private final Map<ProgramId, List<Consumer<ProgramState.Ended>>> watchers = new HashMap<>();
    private PidfdWatcher adopted;
    private boolean closed;

    private DetachedPrograms(DetachedRecords records) {
        this.records = records;
    }

    /**
     * The registry in {@code directory}: what a previous server recorded and still runs is taken over; a record
     * whose process is gone, or whose pid now belongs to a process with another start time, is dropped.
     */
    static DetachedPrograms load(Path directory) throws IOException {
        DetachedPrograms registry = new DetachedPrograms(new DetachedRecords(directory));
        Map<Integer, ProgramId> pidfds = new HashMap<>();
        for (DetachedRecord record : registry.records.readAll()) {
            int pidfd = ProcessCalls.openPidfdIfRunning(record.program().pid(), record.program().startTime());
            if (pidfd < 0) {
                Log.info("dropped detached " + record.program() + " (" + record.path() + "): it ended while no rexec_server ran");
                registry.records.remove(record.program().pid());
                continue;
            }
            Running taken = new Running(record, pidfd);
            registry.running.put(record.program().pid(), taken);
            pidfds.put(pidfd, record.program());
            if (record.confirmed()) {
                Log.info("took over detached " + record.program() + " (" + record.path() + ") from a previous rexec_server");
            } else { // held until its end, which the watcher below notices and which removes the record
                kill(taken, "its client had not confirmed the start when the previous rexec_server stopped");
            }
        }
        if (!pidfds.isEmpty()) {
            registry.adopted = new PidfdWatcher(pidfds, program -> registry.ended(program, Optional.empty()));
        }
        return registry;
    }

    /** What registers a detached program of {@code path} started for {@code uid}, and reports its end. */
    Reaper.Child child(String path, int uid) {
        return new Reaper.Child() {
            @Override
            public void started(ProgramId program) {
                register(new DetachedRecord(program, path, uid, false));
            }

            @Override
            public void ended(ProgramId program, ExitStatus status) {
                DetachedPrograms.this.ended(program, Optional.of(status));
            }
        };
    }

    /** Under the reaper's lock: the child is not reaped yet, so its pidfd is surely its own. */
    private synchronized void register(DetachedRecord record) {
        int pidfd;
        try {
            pidfd = ProcessCalls.openPidfd(record.program().pid());
        } catch (LinuxException e) {
            Log.error("detached " + record.program() + " cannot be signalled: " + e.getMessage());
            pidfd = -1;
        }
        running.put(record.program().pid(), new Running(record, pidfd));
        records.write(record);
    }

    /** {@code program}'s client confirmed the start: from now the program outlives that client. */
    synchronized void confirm(ProgramId program) {
        unconfirmed(program).ifPresent(entry -> {
            Running confirmed = new Running(entry.record().asConfirmed(), entry.pidfd());
            running.put(program.pid(), confirmed);
            records.write(confirmed.record());
        });
    }

    /** SIGKILL to {@code program} if it runs unconfirmed: its client went before it confirmed the start. */
    synchronized void killUnconfirmed(ProgramId program) {
        unconfirmed(program).ifPresent(entry ->
                kill(entry, "its client went before confirming the start (the link lost, or the client stopped, during the start)"));
    }

    private Optional<Running> unconfirmed(ProgramId program) {
        Running entry = running.get(program.pid());
        return closed || entry == null || !entry.record().program().equals(program) || entry.record().confirmed()
                ? Optional.empty() : Optional.of(entry);
    }

    private static void kill(Running entry, String why) {
        DetachedRecord record = entry.record();
        if (entry.pidfd() < 0) {
            Log.error("cannot kill unconfirmed detached " + record.program() + " (" + record.path() + "): rexec_server holds no pidfd for it");
            return;
        }
        try {
            SignalCalls.sendSignal(entry.pidfd(), Signals.SIGKILL);
            Log.warn("killed detached " + record.program() + " (" + record.path() + "): " + why);
        } catch (LinuxException e) {
            if (!e.is(Errno.ESRCH)) {
                Log.error("cannot kill unconfirmed detached " + record.program() + " (" + record.path() + "): " + e.getMessage());
            }
        }
    }

    private void ended(ProgramId program, Optional<ExitStatus> status) {
        ProgramState.Ended end = new ProgramState.Ended(status);
        List<Consumer<ProgramState.Ended>> toTell;
        String path;
        synchronized (this) {
            Running entry = running.get(program.pid());
            if (closed || entry == null || !entry.record().program().equals(program)) {
                return;
            }
            running.remove(program.pid());
            closePidfd(entry);
            ended.put(program, end);
            toTell = watchers.remove(program);
            path = entry.record().path();
        }
        // the watchers first: each waits for this end (a destroy on the DPU), the record and the log line do not
        if (toTell != null) {
            toTell.forEach(watcher -> watcher.accept(end));
        }
        removeRecord(program);
        Log.info("detached " + program + " (" + path + ") " + end);
    }

    /** Its record goes unless the pid is already another detached program's (a reused pid, recorded meanwhile). */
    private synchronized void removeRecord(ProgramId program) {
        Running now = running.get(program.pid());
        if (now == null || now.record().program().equals(program)) {
            records.remove(program.pid());
        }
    }

    /** Whether {@code program} runs, or how it ended. */
    synchronized ProgramState state(ProgramId program, int uid) throws RequestRefusedException {
        ProgramState.Ended end = ended.get(program);
        if (end != null) {
            return end;
        }
        running(program, uid);
        return new ProgramState.Running();
    }

    /** Refused unless {@code program} runs and was started for {@code uid}. */
    synchronized void checkRunning(ProgramId program, int uid) throws RequestRefusedException {
        running(program, uid);
    }

    /** {@code signal} to the program itself, through its pidfd. */
    synchronized void signal(ProgramId program, int uid, int signal) throws RequestRefusedException {
        Running entry = running(program, uid);
        if (entry.pidfd() < 0) {
            throw RequestRefusedException.refused(program + " cannot be signalled: rexec_server holds no pidfd for it");
        }
        try {
            SignalCalls.sendSignal(entry.pidfd(), signal);
        } catch (LinuxException e) {
            throw e.is(Errno.ESRCH) ? RequestRefusedException.gone(program + " has ended") : RequestRefusedException.refused(e.getMessage());
        }
    }

    /**
     * Calls {@code watcher} once {@code program} ends, on the thread that learns of it (it must not block); returns
     * the end instead if it is already known.
     */
    synchronized Optional<ProgramState.Ended> watch(ProgramId program, int uid, Consumer<ProgramState.Ended> watcher) throws RequestRefusedException {
        ProgramState.Ended end = ended.get(program);
        if (end != null) {
            return Optional.of(end);
        }
        running(program, uid);
        watchers.computeIfAbsent(program, key -> new ArrayList<>()).add(watcher);
        return Optional.empty();
    }

    synchronized void unwatch(ProgramId program, Consumer<ProgramState.Ended> watcher) {
        List<Consumer<ProgramState.Ended>> list = watchers.get(program);
        if (list != null && list.remove(watcher) && list.isEmpty()) {
            watchers.remove(program);
        }
    }

    /**
     * Whether {@code session} is the session of a detached program that runs or ended lately: every program leads
     * one of its own, so what a detached program started in it (its children, or a daemon it left) is left alone
     * when the server stops, as the program itself is.
     */
    synchronized boolean isDetachedSession(int session) {
        return running.containsKey(session) || ended.keySet().stream().anyMatch(program -> program.pid() == session);
    }

    private Running running(ProgramId program, int uid) throws RequestRefusedException {
        Running entry = running.get(program.pid());
        if (entry == null || entry.record().program().startTime() != program.startTime()) {
            ProgramState.Ended end = ended.get(program);
            throw RequestRefusedException.gone(end != null ? program + " has ended: " + end
                    : "no detached program " + program + " (it was not started detached by this rexec_server, or ended before it started)");
        }
        if (entry.record().uid() != uid) {
            throw RequestRefusedException.refused(program + " was started for uid " + entry.record().uid() + ", not uid " + uid);
        }
        return entry;
    }

    private static void closePidfd(Running entry) {
        if (entry.pidfd() >= 0) {
            Libc.close(entry.pidfd());
        }
    }

    /** Stops watching; the programs run on and their records stay for the next server. */
    @Override
    public void close() {
        PidfdWatcher watcher;
        synchronized (this) {
            closed = true;
            watcher = adopted;
        }
        if (watcher != null) {
            watcher.close(); // outside the lock: its thread may be waiting for it in ended()
        }
        synchronized (this) {
            running.values().forEach(DetachedPrograms::closePidfd);
            running.clear();
            watchers.clear();
        }
    }
}
