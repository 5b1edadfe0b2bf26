package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * {@code down}: undoes what the state file records, last change first, saving the state after each step, so that a
 * {@code down} that fails half-way (a daemon that does not stop) can simply be run again. The state file's own
 * directories, recorded first, are removed last, after the state file, only when empty, and holding the locks of the
 * levels above the state directory ({@link StateLock} says why).
 */
final class Rollback {
    private final StateStore store;
    private final Path pidDirectory;
    private final Path logDirectory;
    private final Path statusSocket;
    private final PrintStream err;

    /**
     * @param statusSocket udsproxyd's status socket, to tell a running udsproxyd of whitelist changes
     * @param err          where to say that it waits for another command
     */
    Rollback(StateStore store, Path pidDirectory, Path logDirectory, Path statusSocket, PrintStream err) {
        this.store = store;
        this.pidDirectory = pidDirectory;
        this.logDirectory = logDirectory;
        this.statusSocket = statusSocket;
        this.err = err;
    }

    /** Undoes everything recorded; reports each step. Returns false when there was nothing recorded. */
    boolean run(Report report) throws IOException, ConfigException, OffloadException, InterruptedException {
        Optional<ProfileState> recorded = store.load();
        if (recorded.isEmpty()) {
            return false;
        }
        ProfileState state = recorded.get();
        while (!state.changes().isEmpty() && !holdsStateFile(state.changes().getLast())) {
            report.outcome(undo(state.changes().getLast()));
            state = state.withoutLast();
            store.save(state);
        }
        store.delete();
        // The caller holds the state directory's lock; with those of the levels above it, no up makes a directory in
        // one of them while this removes them.
        try (DirectoryLocks _ = DirectoryLocks.acquire(levelsAboveStateDirectory(state), err)) {
            for (Change change : state.changes().reversed()) {
                // only when empty: an empty directory in one is someone else's (virtd's /run/dpuvirt/DRIVER)
                report.outcome(change instanceof Change.CreatedDirectory level && holdsStateFile(level)
                        ? CreatedPaths.removeEmptyDirectory(level.path()) : undo(change));
            }
        }
        return true;
    }

    /** A directory the state file is in: it goes after the state file. */
    private boolean holdsStateFile(Change change) {
        return change instanceof Change.CreatedDirectory directory && store.liesIn(directory.path());
    }

    /** The recorded levels the state directory is in, outermost first (as recorded): not the state directory itself. */
    private List<Path> levelsAboveStateDirectory(ProfileState state) {
        return state.changes().stream().filter(this::holdsStateFile).map(change -> ((Change.CreatedDirectory) change).path())
                .filter(level -> !level.equals(store.directory())).toList();
    }

    private Outcome undo(Change change) throws IOException, ConfigException, OffloadException, InterruptedException {
        return switch (change) {
            case Change.CreatedDirectory c -> CreatedPaths.removeDirectory(c.path());
            case Change.CreatedFile c -> CreatedPaths.removeFileIfBlank(c.path());
            case Change.AddedWhitelistEntry c -> WhitelistRequirement.undo(c, statusSocket);
            case Change.ListedProgram c -> ProgramRequirement.undo(c);
            case Change.SetValue c -> SettingRequirement.undo(c);
            case Change.StartedService c -> stop(c);
        };
    }

    /**
     * Stops a daemon {@code up} started and removes its pid file; its log too, if {@code up} created it and the daemon
     * stopped cleanly: the log of a daemon that had died or needed SIGKILL is kept, since it tells why.
     */
    private Outcome stop(Change.StartedService started) throws IOException, OffloadException, InterruptedException {
        PidFile pidFile = PidFile.of(pidDirectory, started.name());
        PidFile.Status status = pidFile.status();
        ServiceStopper.Ending ending = ServiceStopper.Ending.NOT_RUNNING;
        if (status.process().isPresent()) {
            ending = ServiceStopper.stop(started.name(), status.process().get());
        }
        pidFile.delete();
        Path log = ServiceRequirement.log(logDirectory, started.name());
        String logText = "";
        if (started.logCreated() && Files.exists(log)) {
            if (ending == ServiceStopper.Ending.TERMINATED) {
                Files.delete(log);
                logText = "; removed its log " + log;
            } else {
                logText = "; kept its log " + log + ", which tells how it ended";
            }
        }
        return switch (ending) {
            case TERMINATED -> Outcome.changed("stopped", started.name() + " (pid " + pid(status) + ") on SIGTERM" + logText);
            case KILLED -> Outcome.changed("killed", started.name() + " (pid " + pid(status) + "): it did not stop within "
                    + ServiceStopper.TERM_GRACE.toSeconds() + " s of SIGTERM" + logText);
            case NOT_RUNNING -> Outcome.unchanged("gone", status.process().isPresent()
                    ? started.name() + " had ended" + logText : status.text() + logText);
        };
    }

    private static int pid(PidFile.Status status) {
        return status.process().map(ProcessId::pid).orElseThrow();
    }
}
