package io.dpuvirt.virt.host.remote;

import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.RexecServer;
import io.dpuvirt.fabric.rexec.RexecServerConfig;
import io.dpuvirt.virt.host.HostChecks;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessExit;
import io.dpuvirt.virt.host.ProcessSpec;
import io.dpuvirt.virt.host.Signal;
import io.dpuvirt.virt.host.Stdio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The remote host through a real rexec_server in this JVM (on a socket in a temporary directory, as udsproxyd's
 * mirror would be on the DPU): processes are its detached programs, found again by a new host object as after a
 * daemon restart, and outlive a server restart; files are its file requests, confined to its state directory.
 */
class RemoteHostTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;
    private Path socket;
    private Path whitelist;
    private Path state;
    private Path logs;
    private RexecServer server;
    private RemoteHost host;

    @BeforeEach
    void start() throws Exception {
        socket = dir.resolve("rexec.sock");
        whitelist = dir.resolve("whitelist");
        Files.writeString(whitelist, "/bin/sleep\n/bin/sh\n");
        Files.setPosixFilePermissions(whitelist, PosixFilePermissions.fromString("rw-------"));
        state = dir.resolve("state");
        logs = Files.createDirectory(dir.resolve("logs"));
        startServer();
        host = new RemoteHost(new RexecClient(socket));
    }

    private void startServer() throws Exception {
        server = RexecServer.start(new RexecServerConfig(socket, whitelist, false, Duration.ofMillis(300), List.of(logs),
                List.of(state, logs), List.of()));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aProgramRunsWithItsEnvironmentAndOutputAndItsEndIsKnown() throws Exception {
        Path log = logs.resolve("guest.log");
        HostProcess process = host.spawn(ProcessSpec.of(List.of("/bin/sh", "-c", "echo \"$GREETING\"; pwd; echo oops >&2; exit 3"))
                .withEnvironment(Map.of("GREETING", "hello"))
                .withWorkingDirectory(logs)
                .withStdio(Stdio.none(), Stdio.appendTo(log), Stdio.appendTo(log)));

        assertThat(process.waitFor(WAIT)).hasValue(new ProcessExit.Exited(3));
        assertThat(process.isAlive()).isFalse();
        assertThat(new String(host.readFile(log), StandardCharsets.UTF_8)).isEqualTo("hello\n" + logs + "\noops\n");
    }

    @Test
    void aProgramIsSignalledPinnedAndFoundAgainByANewHost() throws Exception {
        HostProcess sleeper = host.spawn(ProcessSpec.of(List.of("/bin/sleep", "60")));
        BitSet cpu0 = new BitSet();
        cpu0.set(0);
        sleeper.setAffinity(sleeper.id().pid(), cpu0);
        assertThat(Files.readString(Path.of("/proc", Integer.toString(sleeper.id().pid()), "status")))
                .contains("Cpus_allowed_list:\t0\n");
        assertThat(sleeper.cpuTime()).isGreaterThanOrEqualTo(Duration.ZERO);

        RemoteHost restarted = new RemoteHost(new RexecClient(socket)); // a daemon restarted on the DPU
        HostProcess found = restarted.find(sleeper.id(), Optional.empty()).orElseThrow();
        found.signal(Signal.TERM);

        assertThat(found.waitFor(WAIT)).hasValue(new ProcessExit.Signalled(Signal.TERM.number()));
        assertThat(sleeper.waitFor(WAIT)).hasValue(new ProcessExit.Signalled(Signal.TERM.number()));
        assertThat(restarted.find(sleeper.id(), Optional.empty())).isEmpty();
        found.signal(Signal.KILL); // ended: nothing is sent, nothing fails
        assertThat(found.cpuTime()).isEqualTo(Duration.ZERO);
    }

    @Test
    void aProgramOutlivesAServerRestartAndItsWatcherKeepsWatching() throws Exception {
        HostProcess sleeper = host.spawn(ProcessSpec.of(List.of("/bin/sleep", "60")));
        server.close();
        Thread.sleep(RemoteProcess.RETRY_PAUSE.toMillis() / 2);
        assertThat(sleeper.isAlive()).as("a watch that broke says nothing of the program").isTrue();
        startServer();

        sleeper.signal(Signal.KILL);

        // the restarted server took the program over but did not start it: its end is known, not its status
        assertThat(sleeper.waitFor(WAIT)).hasValue(new ProcessExit.Vanished());
    }

    @Test
    void aSignalThatCannotBeSentEndsTheWaitForTheEndWithItsError() throws Exception {
        HostProcess sleeper = host.spawn(ProcessSpec.of(List.of("/bin/sleep", "60")));
        server.close();

        // the watch retries and the program runs on; the signal's failure, not the timeout, ends the wait
        assertThatThrownBy(() -> sleeper.signalAndWaitFor(Signal.TERM, Duration.ofMinutes(10)))
                .isInstanceOf(IOException.class).hasMessageContaining(socket.toString());
        assertThat(sleeper.isAlive()).isTrue();
        ProcessHandle.of(sleeper.id().pid()).ifPresent(ProcessHandle::destroyForcibly); // no server to do it
    }

    @Test
    void filesAreConfinedToTheStateDirectories() throws Exception {
        Path guest = state.resolve("qemu/domain-1-vm");
        host.createDirectories(guest);
        Path nvram = guest.resolve("VARS.fd");
        host.writeFile(nvram, "vars".getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nvram))).isEqualTo("rw-------");
        assertThat(host.exists(nvram)).isTrue();
        assertThat(host.deleteFile(nvram)).isTrue();
        assertThat(host.deleteFile(nvram)).isFalse();
        assertThat(host.readFile(Path.of("/proc/sys/kernel/hostname"))).isNotEmpty();

        assertThatThrownBy(() -> host.writeFile(dir.resolve("outside"), new byte[1], PosixFilePermissions.fromString("rw-------")))
                .isInstanceOf(IOException.class).hasMessageContaining("is not beneath a state directory");
    }

    @Test
    void outputCanOnlyBeAppended() {
        assertThatThrownBy(() -> host.spawn(ProcessSpec.of(List.of("/bin/sleep", "1"))
                .withStdio(Stdio.none(), new Stdio.WriteFile(logs.resolve("x"), false), Stdio.none())))
                .hasMessageContaining("can only be appended to");
    }

    @Test
    void theRunDirectoryIsMadeBeforeTheStartAndGoesBeforeTheEndIsReported() throws Exception {
        HostChecks.runDirectoryIsMadeBeforeTheStartAndGoesBeforeTheEndIsReported(host, state.resolve("qemu/domain-1"),
                logs.resolve("qemu/vm.log"), WAIT);
    }
}
