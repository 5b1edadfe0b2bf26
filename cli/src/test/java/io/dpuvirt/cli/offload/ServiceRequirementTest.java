package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * A daemon counts as up only when it is ready and it is the one serving: not when another server (a distribution's
 * libvirtd, a udsproxyd started by hand) already holds its socket, and not when it runs but never became ready.
 * The daemons are real processes; the servers are real unix sockets.
 */
class ServiceRequirementTest {
    private static final Duration READY_BOUND = Duration.ofSeconds(1);
    private static final List<String> SLEEPING = List.of("/bin/sleep", "60");

    @TempDir
    Path dir;

    private Path socket;
    private Journal journal;
    private final List<ProcessId> started = new ArrayList<>();

    @BeforeEach
    void journal() throws Exception {
        socket = dir.resolve("libvirt-sock");
        Files.createDirectories(dir.resolve("log"));
        StateStore store = new StateStore(dir.resolve("run"), "libvirt", Side.DPU);
        try (StateLock lock = StateLock.acquireCreating(store.directory(), System.err)) {
            journal = Journal.open(store, "libvirt", Side.DPU, lock.createdDirectories());
        }
    }

    @AfterEach
    void stopDaemons() throws Exception {
        for (ProcessId process : started) {
            ServiceStopper.stop("daemon", process);
            ProcessCalls.reap(process.pid());
        }
    }

    private ServiceRequirement virtd(List<String> argv, Readiness.Probe probe) {
        Readiness readiness = new Readiness("accepting connections on " + socket, socket, probe, READY_BOUND);
        return new ServiceRequirement(new Service("virtd", Optional.of(new LaunchSettings(argv, List.of())), List.of(), readiness),
                dir.resolve("run"), dir.resolve("log"));
    }

    /** A daemon that is ready once its pid file names a running process: what up started with {@code launch}. */
    private ServiceRequirement virtd(LaunchSettings launch) {
        return daemon("virtd", launch);
    }

    /** Daemon {@code name}, ready once its pid file names a running process. */
    private ServiceRequirement daemon(String name, LaunchSettings launch) {
        Path pidDirectory = dir.resolve("run");
        Readiness readiness = new Readiness("running", socket, () -> PidFile.of(pidDirectory, name).status().process().isPresent(),
                READY_BOUND);
        return new ServiceRequirement(new Service(name, Optional.of(launch), List.of(), readiness), pidDirectory, dir.resolve("log"));
    }

    /** Applies {@code requirement}, which starts or restarts its daemon; returns the daemon now running. */
    private ProcessId applyStarting(ServiceRequirement requirement, String verb) throws Exception {
        assertThat(requirement.apply(journal).verb()).isEqualTo(verb);
        ProcessId process = requirement.pidFile().status().process().orElseThrow();
        started.add(process);
        return process;
    }

    private ServiceRequirement virtd(List<String> argv) {
        return virtd(argv, () -> SocketProbe.accepts(socket));
    }

    /** A daemon an earlier up started: running, with its pid file. */
    private ProcessId alreadyRunning(ServiceRequirement requirement) throws Exception {
        try (HeldDaemon sleeping = ServiceLauncher.spawnHeld(List.of("/bin/sleep", "60"), dir.resolve("log/offload-virtd.log"))) {
            sleeping.release();
            started.add(sleeping.process());
            requirement.pidFile().write(sleeping.process(), requirement.service().launch().orElseThrow());
            return sleeping.process();
        }
    }

    private static ServerSocketChannel serve(Path socket) throws Exception {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
    }

    @Test
    void noDaemonIsStartedWhereAnotherServerAlreadyServes() throws Exception {
        ServiceRequirement requirement = virtd(List.of("/bin/sh", "-c", "echo 'address in use' >&2; exit 1"));
        try (ServerSocketChannel distributionLibvirtd = serve(socket)) {
            assertThatThrownBy(() -> requirement.apply(journal))
                    .isInstanceOf(OffloadException.class)
                    .hasMessageStartingWith("virtd not started: something else is already accepting connections on " + socket + " (")
                    .hasMessageContaining(", pid " + ProcessHandle.current().pid() + ")")
                    .hasMessageEndingWith("); stop it, then run up again");
        }
        assertThat(requirement.pidFile().file()).doesNotExist();
        assertThat(dir.resolve("log/offload-virtd.log")).as("nothing was started").doesNotExist();
        assertThat(journal.state().started("virtd")).isFalse();
    }

    @Test
    void aDaemonThatEndsWhileAnotherServerMakesItLookReadyIsReportedEnded() throws Exception {
        ServiceRequirement[] requirement = new ServiceRequirement[1];
        // stands for a server that came between up's look and the start: it serves once the daemon gave up
        requirement[0] = virtd(List.of("/bin/sh", "-c", "sleep 0.1; echo 'address in use' >&2; exit 3"),
                () -> Files.exists(requirement[0].pidFile().file()) && requirement[0].pidFile().status().process().isEmpty());

        assertThatThrownBy(() -> requirement[0].apply(journal))
                .isInstanceOf(OffloadException.class)
                .hasMessageMatching("virtd \\(pid [0-9]+\\) exited with status 3 right after it started; it wrote to "
                        + dir.resolve("log/offload-virtd.log") + ":\n    address in use\n");
    }

    /**
     * Between the spawn and the pid file, up may fail or be killed: the daemon must not run on unknown (the next up
     * would take it for another server, and down would not stop it). A pid file that cannot be written stands for that.
     */
    @Test
    void aDaemonWhosePidFileCannotBeWrittenNeverRunsItsProgram() throws Exception {
        Path ran = dir.resolve("ran");
        Path pidDirectory = dir.resolve("no-such-directory");
        ServiceRequirement requirement = new ServiceRequirement(
                virtd(List.of("/bin/sh", "-c", "touch \"$0\"; exec sleep 60", ran.toString())).service(), pidDirectory, dir.resolve("log"));
        Set<Long> before = children();

        Throwable failure = catchThrowable(() -> requirement.apply(journal));
        List<ProcessHandle> left = ProcessHandle.current().children().filter(child -> !before.contains(child.pid())).toList();
        left.forEach(ProcessHandle::destroyForcibly);

        assertThat(left).as("nothing of it is left").isEmpty();
        assertThat(ran).as("its program never ran").doesNotExist();
        assertThat(failure).isInstanceOf(OffloadException.class)
                .hasMessageStartingWith("virtd not started: cannot write its pid file " + pidDirectory.resolve("virtd.pid") + ": ");
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children().map(ProcessHandle::pid).collect(Collectors.toSet());
    }

    /**
     * An up given other settings than those the running daemon was started with (another --peer: virtd.conf's
     * [host] udsproxyd, which virtd reads when it starts) restarts it with these, and says what changed; given the
     * same settings, it leaves it alone.
     */
    @Test
    void aDaemonStartedWithOtherSettingsIsRestartedWithTheseAndOnlyThen() throws Exception {
        Path conf = dir.resolve("virtd.conf");
        LaunchSettings peer1 = new LaunchSettings(SLEEPING, List.of(new SettingRequirement(conf, "host", "udsproxyd", "10.0.0.1:12121")));
        LaunchSettings peer9 = new LaunchSettings(SLEEPING, List.of(new SettingRequirement(conf, "host", "udsproxyd", "10.0.0.9:12121")));
        ProcessId first = applyStarting(virtd(peer1), "started");
        assertThat(virtd(peer1).apply(journal)).isEqualTo(Outcome.unchanged("ok", "virtd runs (pid " + first.pid() + "), running"));

        String change = "[host] udsproxyd of " + conf + " was 10.0.0.1:12121, now 10.0.0.9:12121";
        assertThat(virtd(peer9).check()).isEqualTo(Finding.missing("virtd runs (pid " + first.pid()
                + "), started with other settings (" + change + "): up restarts it"));
        ProcessId second = applyStarting(virtd(peer9), "restarted");
        assertThat(ProcessStat.isRunning(first.pid(), first.startTime())).isFalse();
        assertThat(virtd(peer9).pidFile().status().startedWith()).contains(peer9);
        assertThat(virtd(peer9).apply(journal)).isEqualTo(Outcome.unchanged("ok", "virtd runs (pid " + second.pid() + "), running"));
        assertThat(virtd(peer9).check().met()).isTrue();
        assertThat(journal.state().changes()).as("recorded once: down stops whichever runs")
                .containsOnlyOnce(new Change.StartedService("virtd", true));
    }

    /**
     * Key rotation: the link's key file rewritten in place, same path, new key. udsproxyd read the old key when it
     * started and its command line is the same, so only what the file holds tells that it must restart; the key itself
     * is written nowhere.
     */
    @Test
    void aKeyFileRewrittenInPlaceRestartsTheUdsproxydThatReadTheOldKey() throws Exception {
        Path key = dir.resolve("link.key");
        Files.writeString(key, "the old key, 32 bytes long......");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        Path launcher = Files.writeString(dir.resolve("udsproxyd"), "#!/bin/sh\nexec sleep 60\n");
        Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwx------"));
        LinkSettings link = new LinkSettings(key, "10.0.0.2", "10.0.0.1", LinkSettings.DEFAULT_PORT, false);
        ProcessId first = applyStarting(daemon("udsproxyd", udsproxydLaunch(launcher, link)), "started");

        Files.writeString(key, "the new key, 32 bytes long......");
        ServiceRequirement rotated = daemon("udsproxyd", udsproxydLaunch(launcher, link));
        assertThat(rotated.check()).isEqualTo(Finding.missing("udsproxyd runs (pid " + first.pid()
                + "), started with other settings (" + key + " holds another key than the one it started with): up restarts it"));
        applyStarting(rotated, "restarted");
        assertThat(ProcessStat.isRunning(first.pid(), first.startTime())).isFalse();
        assertThat(Files.readString(rotated.pidFile().file())).doesNotContain("key, 32 bytes");
        assertThat(daemon("udsproxyd", udsproxydLaunch(launcher, link)).apply(journal).verb()).isEqualTo("ok");
    }

    /** udsproxyd's launch settings as {@code up} makes them, with the key file's fingerprint as it is now. */
    private static LaunchSettings udsproxydLaunch(Path launcher, LinkSettings link) throws OffloadException {
        return LibvirtProfile.udsproxydLaunch(launcher, link, KeyFingerprint.of(link.key()));
    }

    @Test
    void aRestartSaysWhatChangedAndHowTheOldDaemonStopped() throws Exception {
        ProcessId first = applyStarting(virtd(new LaunchSettings(SLEEPING, List.of())), "started");
        LaunchSettings longer = new LaunchSettings(List.of("/bin/sleep", "61"), List.of());

        assertThat(virtd(longer).apply(journal).text()).startsWith("virtd (pid ").endsWith("; log " + dir.resolve("log/offload-virtd.log")
                + "): pid " + first.pid() + " stopped on SIGTERM; its command line was '/bin/sleep 60', now '/bin/sleep 61'");
        ProcessId second = virtd(longer).pidFile().status().process().orElseThrow();
        started.add(second);

        // an earlier dpuvirt's pid file: the pid alone
        Files.writeString(virtd(longer).pidFile().file(), second.pid() + " " + second.startTime() + "\n");
        assertThat(virtd(longer).apply(journal).text()).endsWith("): pid " + second.pid() + " stopped on SIGTERM; its pid file"
                + " does not record the settings it was started with (an earlier dpuvirt wrote it, or a hand changed it)");
        started.add(virtd(longer).pidFile().status().process().orElseThrow());
    }

    @Test
    void aRunningDaemonThatNeverBecameReadyIsNotTakenForUp() throws Exception {
        ServiceRequirement requirement = virtd(List.of("/usr/bin/false"));
        ProcessId process = alreadyRunning(requirement);

        assertThatThrownBy(() -> requirement.apply(journal))
                .isInstanceOf(OffloadException.class)
                .hasMessage("virtd (pid " + process.pid() + ") runs but is not accepting connections on " + socket + " "
                        + READY_BOUND.toSeconds() + " s after up found it running; see " + dir.resolve("log/offload-virtd.log"));
        assertThat(requirement.check().met()).isFalse();
    }

    @Test
    void aRunningDaemonThatIsReadyIsLeftAlone() throws Exception {
        ServiceRequirement requirement = virtd(List.of("/usr/bin/false"));
        ProcessId process = alreadyRunning(requirement);
        try (ServerSocketChannel itsSocket = serve(socket)) {
            assertThat(requirement.apply(journal)).isEqualTo(Outcome.unchanged("ok",
                    "virtd runs (pid " + process.pid() + "), accepting connections on " + socket));
        }
    }
}
