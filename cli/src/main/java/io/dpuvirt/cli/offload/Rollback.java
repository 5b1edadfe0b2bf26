package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * {@code down}: undoes what the state file records, last change first, saving the state after each step, so that a
 * {@code down} that fails half-way (a daemon that does not stop) can simply be run again. The state file's own
 * directories, recorded first, are removed last, after the state file, and only when empty.
 */
final class Rollback {
    private final StateStore store;
    private final Path pidDirectory;
    private final Path logDirectory;
    private final Path statusSocket;

    /**
     * @param statusSocket udsproxyd's status socket, to tell a running udsproxyd of whitelist changes
     */
    Rollback(StateStore store, Path pidDirectory, Path logDirectory, Path statusSocket) {
        this.store = store;
        this.pidDirectory = pidDirectory;
        this.logDirectory = logDirectory;
        this.statusSocket = statusSocket;
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
        for (Change change : state.changes().reversed()) {
            // The state directory and the levels above it go only when empty, never with empty directories in them:
            // once this removed its own state directory, an up may make a new one there and lock it (another
            // directory: nothing to wait for) before the level above goes.
            report.outcome(change instanceof Change.CreatedDirectory level && holdsStateFile(level)
                    ? CreatedPaths.removeEmptyDirectory(level.path()) : undo(change));
        }
        return true;
    }

    /** A directory the state file is in: it goes after the state file. */
    private boolean holdsStateFile(Change change) {
        return change instanceof Change.CreatedDirectory directory && store.file().startsWith(directory.path());
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
