package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.ProcessCalls;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A daemon counts as up only when it is ready: not when it runs but never became ready. The daemons are real
 * processes; the servers are real unix sockets.
 */
class ServiceRequirementTest {
    private static final Duration READY_BOUND = Duration.ofSeconds(1);

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
        Readiness readiness = new Readiness("accepting connections on " + socket, probe, READY_BOUND);
        return new ServiceRequirement(new Service("virtd", argv, List.of(), readiness), dir.resolve("run"), dir.resolve("log"));
    }

    private ServiceRequirement virtd(List<String> argv) {
        return virtd(argv, () -> SocketProbe.accepts(socket));
    }

    /** A daemon an earlier up started: running, with its pid file. */
    private ProcessId alreadyRunning(ServiceRequirement requirement) throws Exception {
        ProcessId process = ServiceLauncher.start(List.of("/bin/sleep", "60"), dir.resolve("log/offload-virtd.log"));
        started.add(process);
        requirement.pidFile().write(process);
        return process;
    }

    private static ServerSocketChannel serve(Path socket) throws Exception {
        return ServerSocketChannel.open(StandardProtocolFamily.UNIX).bind(UnixDomainSocketAddress.of(socket));
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
