package io.dpuvirt.cli.offload;

import io.dpuvirt.cli.Arguments;
import io.dpuvirt.cli.ExitStatus;
import io.dpuvirt.cli.UsageException;
import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.fabric.link.LinkKey;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code dpuvirt offload up|down|check PROFILE}: prepares a side of an offload in one command, removes exactly what
 * that did, or says precisely what is missing. Profiles: {@code libvirt} (seed 000, {@link LibvirtProfile}).
 */
public final class OffloadCommand {
    /** The lines of dpuvirt's usage about offload. */
    public static final String USAGE = """
                   dpuvirt offload up libvirt --side host|dpu --key FILE --local ADDR --peer ADDR [--port N]
                                   [--vsock] [--emulator PATH]... [--config FILE]
                                                              prepare this side for seed 000 (virtd on the DPU, guests
                                                              on the HOST) and start its daemons; run again, it changes
                                                              nothing, or with other settings restarts the daemons
                                                              they concern
                   dpuvirt offload down libvirt --side host|dpu [--config FILE]
                                                              stop what up started, remove exactly what it added
                   dpuvirt offload check libvirt --side host|dpu [--emulator PATH]... [--config FILE]
                                                              say precisely what is missing or not running
            offload settings may also come from /etc/dpuvirt/offload.conf (--config FILE), section [libvirt], keys named
            as the options (side=, key=, local=, peer=, port=, vsock=true, emulator=PATH;PATH); options win. --port:
            12121 by default; --emulator: the qemu-system-x86_64 of /usr/bin or /usr/local/bin. up and down need root.
            See docs/OFFLOAD.md.
            """;
    public static final String EXIT_STATUSES = """
            offload: 0 done (check: nothing missing), 1 failed, 2 wrong usage, 3 invalid configuration file (file and
            line named), 4 check found something missing""";

    private final PrintStream out;
    private final Path stateDirectory;

    OffloadCommand(PrintStream out, Path stateDirectory) {
        this.out = out;
        this.stateDirectory = stateDirectory;
    }

    /** Runs {@code offload ARGS…} and returns the exit status. */
    public static int run(String[] args) throws UsageException {
        return new OffloadCommand(System.out, StateStore.DEFAULT_DIRECTORY).execute(args);
    }

    int execute(String[] args) throws UsageException {
        Arguments arguments = new Arguments(args);
        List<String> words = List.of(args).subList(0, Math.min(2, args.length));
        if (words.size() < 2 || !List.of("up", "down", "check").contains(words.get(0))) {
            throw new UsageException("offload needs up, down or check and a profile (libvirt)");
        }
        if (!words.get(1).equals(LibvirtProfile.NAME)) {
            throw new UsageException("unknown offload profile '" + words.get(1) + "' (there is: libvirt)");
        }
        try {
            OffloadSettings settings = SettingsReader.read(arguments, LibvirtProfile.NAME);
            List<String> rest = arguments.positionals();
            if (rest.size() != 2) {
                throw new UsageException("unexpected argument '" + rest.get(2) + "'");
            }
            StateStore store = new StateStore(stateDirectory, LibvirtProfile.NAME, settings.side());
            String title = LibvirtProfile.NAME + " offload, " + settings.side() + " side";
            return switch (words.get(0)) {
                case "up" -> up(settings, store, title);
                case "down" -> down(store, title);
                default -> check(settings, title);
            };
        } catch (ConfigException e) {
            System.err.println("dpuvirt: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (OffloadException | IOException e) {
            System.err.println("dpuvirt: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (UncheckedIOException e) { // a stream over files (Files.walk, Files.lines) failed: a message, not a trace
            System.err.println("dpuvirt: " + e.getCause().getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitStatus.FAILED;
        }
    }

    private int up(OffloadSettings settings, StateStore store, String title)
            throws UsageException, IOException, ConfigException, OffloadException {
        if (settings.link().isEmpty()) {
            throw new UsageException("up needs --key FILE, --local ADDR and --peer ADDR (or key=, local=, peer= under ["
                    + LibvirtProfile.NAME + "] in " + SettingsReader.DEFAULT_FILE + ")");
        }
        requireRoot();
        Path key = settings.link().get().key();
        try {
            LinkKey.load(key);
        } catch (IOException e) {
            throw KeyFingerprint.unusable(key, e);
        }
        List<Requirement> requirements = LibvirtProfile.requirements(settings, stateDirectory);
        Report report = new Report(out);
        report.title("up: " + title);
        try (StateLock lock = StateLock.acquireCreating(store.directory(), System.err)) {
            Journal journal = Journal.open(store, LibvirtProfile.NAME, settings.side(), lock.createdDirectories());
            for (Requirement requirement : requirements) {
                report.outcome(requirement.apply(journal));
            }
        } catch (OffloadException | IOException | ConfigException e) {
            return stopped(e, "up stopped there; what it did is recorded in " + store.file()
                    + ": run up again once the cause is fixed, or down to undo it");
        }
        report.summary(report.changes() == 0 ? "up: nothing changed, the " + settings.side() + " side was complete"
                : "up: " + report.changes() + " change(s), recorded in " + store.file());
        return ExitStatus.OK;
    }

    private int down(StateStore store, String title)
            throws IOException, ConfigException, OffloadException, InterruptedException {
        requireRoot();
        Report report = new Report(out);
        report.title("down: " + title);
        Rollback rollback = new Rollback(store, stateDirectory, LibvirtProfile.LOGS, LibvirtProfile.udsproxydStatusSocket(),
                System.err);
        boolean recorded;
        try (StateLock lock = StateLock.acquire(store.directory(), System.err).orElse(null)) {
            recorded = lock != null && rollback.run(report);
        } catch (OffloadException | IOException | ConfigException e) {
            return stopped(e, "down stopped there; what is left to undo is still recorded in " + store.file()
                    + ": run down again once the cause is fixed");
        }
        if (!recorded) {
            report.summary("down: nothing to undo (no " + store.file() + ": up has not run on this side, or down has already)");
        } else {
            report.summary("down: " + report.changes() + " change(s) undone");
        }
        return ExitStatus.OK;
    }

    private int check(OffloadSettings settings, String title) throws OffloadException {
        List<Requirement> requirements = LibvirtProfile.requirements(settings, stateDirectory);
        Report report = new Report(out);
        report.title("check: " + title);
        for (Requirement requirement : requirements) {
            report.finding(requirement.check());
        }
        if (report.missing() == 0) {
            report.summary("check: complete (" + requirements.size() + " requirements)");
            return ExitStatus.OK;
        }
        report.summary("check: " + report.missing() + " of " + requirements.size() + " requirements missing");
        return ExitStatus.INCOMPLETE;
    }

    /** Reports a step that failed and what to do next; the status says whether a file was invalid. */
    private static int stopped(Exception failure, String next) {
        System.err.println("dpuvirt: " + failure.getMessage());
        System.err.println("dpuvirt: " + next);
        return failure instanceof ConfigException ? ExitStatus.CONFIG : ExitStatus.FAILED;
    }

    private static void requireRoot() throws OffloadException, IOException {
        if (!Files.getAttribute(Path.of("/proc/self"), "unix:uid").equals(0)) {
            throw new OffloadException("offload up and down change /etc and start daemons: run them as root");
        }
    }
}
