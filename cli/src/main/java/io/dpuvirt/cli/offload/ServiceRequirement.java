package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.linux.WaitStatus;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A daemon that must run with the settings {@code up} is given, and be ready. {@code up} leaves one its pid file names
 * alone once it is ready, unless the pid file says it was started with other settings ({@link LaunchSettings}): then it
 * stops it and starts one with these, in the profile's order, so that a daemon restarts after those it needs. Otherwise
 * it makes its run directories, starts it ({@link ServiceLauncher}) with its output appended to
 * {@code LOGS/offload-NAME.log} and its pid file written before its program runs, and waits (bounded) until it is
 * ready, reporting what it wrote if it ended instead. It starts none where its socket is already served by another:
 * that one would pass for it.
 */
record ServiceRequirement(Service service, Path pidDirectory, Path logDirectory) implements Requirement {
    private static final Duration POLL = Duration.ofMillis(50);
    /** How much of a failed daemon's output an error shows. */
    private static final int SHOWN_LINES = 8;

    static Path log(Path logDirectory, String name) {
        return logDirectory.resolve("offload-" + name + ".log");
    }

    @Override
    public Outcome apply(Journal journal) throws IOException, OffloadException {
        LaunchSettings launch = service.launch().orElseThrow(() -> new OffloadException("starting " + service.name()
                + " needs the link settings (--key, --local, --peer)"));
        PidFile.Status status = pidFile().status();
        Readiness readiness = service.readiness();
        Path log = log(logDirectory, service.name());
        String replaced = "";
        if (status.process().isPresent()) {
            Optional<String> changed = launch.changedFrom(status.startedWith());
            if (changed.isEmpty()) {
                awaitReady(status.process().get(), log, 0, "after up found it running", "before it was ready");
                return Outcome.unchanged("ok", status.text() + ", " + readiness.doing());
            }
            replaced = stop(status.process().get()) + "; " + changed.get();
        }
        if (readiness.probe().holds()) {
            throw new OffloadException(service.name() + " not started: something else is already " + readiness.doing()
                    + holders(readiness.socket()) + "; stop it, then run up again");
        }
        for (Path directory : service.runtimeDirectories()) {
            CreatedPaths.ensureDirectory(directory, journal);
        }
        long logStart = Files.exists(log) ? Files.size(log) : 0;
        if (!journal.state().started(service.name())) {
            journal.record(new Change.StartedService(service.name(), !Files.exists(log)));
        }
        ProcessId process = start(launch, log);
        awaitReady(process, log, logStart, "after its start", "right after it started");
        String started = service.name() + " (pid " + process.pid() + ", " + readiness.doing() + "; log " + log + ")";
        return replaced.isEmpty() ? Outcome.changed("started", started) : Outcome.changed("restarted", started + ": " + replaced);
    }

    @Override
    public Finding check() {
        PidFile.Status status = pidFile().status();
        if (status.process().isEmpty()) {
            return Finding.missing(status.text());
        }
        Optional<String> changed = service.launch().flatMap(launch -> launch.changedFrom(status.startedWith()));
        if (changed.isPresent()) {
            return Finding.missing(status.text() + ", started with other settings (" + changed.get() + "): up restarts it");
        }
        String doing = service.readiness().doing();
        return service.readiness().probe().holds() ? Finding.met(status.text() + ", " + doing)
                : Finding.missing(status.text() + " but is not " + doing);
    }

    PidFile pidFile() {
        return PidFile.of(pidDirectory, service.name());
    }

    /** Starts the daemon, writing its pid file before it runs its program ({@link ServiceLauncher} says why). */
    private ProcessId start(LaunchSettings launch, Path log) throws IOException, OffloadException {
        try (HeldDaemon daemon = ServiceLauncher.spawnHeld(launch.argv(), log)) {
            try {
                pidFile().write(daemon.process(), launch);
            } catch (IOException e) {
                throw new OffloadException(service.name() + " not started: cannot write its pid file " + pidFile().file()
                        + ": " + e.getMessage());
            }
            daemon.release();
            return daemon.process();
        }
    }

    /**
     * Stops the daemon that runs with other settings than up's, so that one with up's starts in its place (as a
     * service manager restarts a unit whose settings changed); says how it went ("pid 812 stopped on SIGTERM").
     */
    private String stop(ProcessId running) throws OffloadException {
        try {
            return "pid " + running.pid() + switch (ServiceStopper.stop(service.name(), running)) {
                case TERMINATED -> " stopped on SIGTERM";
                case KILLED -> " needed SIGKILL (it did not stop within " + ServiceStopper.TERM_GRACE.toSeconds() + " s of SIGTERM)";
                case NOT_RUNNING -> " had ended";
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OffloadException("interrupted while stopping " + service.name() + " (pid " + running.pid() + ")");
        }
    }

    /**
     * Waits (bounded) until the daemon is ready, and requires that it still runs then: one that could not take its
     * socket (another server came meanwhile) ends while the other makes the probe hold. {@code waited} and {@code ended}
     * say when, as in "runs but is not listening on S 15 s WAITED" and "exited with status 1 ENDED".
     */
    private void awaitReady(ProcessId process, Path log, long logStart, String waited, String ended)
            throws OffloadException, IOException {
        Readiness readiness = service.readiness();
        long deadline = System.nanoTime() + readiness.bound().toNanos();
        try {
            while (true) {
                boolean ready = readiness.probe().holds();
                if (!ProcessStat.isRunning(process.pid(), process.startTime())) {
                    throw new OffloadException(service.name() + " (pid " + process.pid() + ") " + ending(process.pid())
                            + " " + ended + "; it wrote to " + log + ":\n" + output(log, logStart));
                }
                if (ready) {
                    return;
                }
                if (System.nanoTime() > deadline) {
                    throw new OffloadException(service.name() + " (pid " + process.pid() + ") runs but is not "
                            + readiness.doing() + " " + readiness.bound().toSeconds() + " s " + waited + "; see " + log);
                }
                Thread.sleep(POLL);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OffloadException("interrupted while waiting for " + service.name());
        }
    }

    /** " (libvirtd, pid 812)": what serves {@code socket}, when it can be told. */
    private static String holders(Path socket) {
        List<String> holders = SocketHolders.of(socket);
        return holders.isEmpty() ? "" : " (" + String.join("; ", holders) + ")";
    }

    /** Reaps the ended daemon and says how it ended ("ended" when another process started it: only its parent can tell). */
    private static String ending(int pid) {
        try {
            WaitStatus status = ProcessCalls.reap(pid);
            return status.exited() ? "exited with status " + status.exitCode() : "was killed by " + Signals.name(status.signal());
        } catch (LinuxException e) {
            return "ended";
        }
    }

    /** The last lines the daemon appended to its log, indented. */
    private static String output(Path log, long from) throws IOException {
        String text;
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            file.seek(from);
            byte[] bytes = new byte[(int) Math.min(file.length() - from, 1 << 20)];
            file.readFully(bytes);
            text = new String(bytes, StandardCharsets.UTF_8);
        }
        List<String> lines = text.lines().toList();
        StringBuilder out = new StringBuilder();
        for (String line : lines.subList(Math.max(0, lines.size() - SHOWN_LINES), lines.size())) {
            out.append("    ").append(line).append('\n');
        }
        return out.isEmpty() ? "    (nothing)\n" : out.toString();
    }
}
