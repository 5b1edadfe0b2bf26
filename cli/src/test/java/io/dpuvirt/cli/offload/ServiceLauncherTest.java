package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A daemon is spawned held: its program runs once released, as the process spawned, and never if not released. */
class ServiceLauncherTest {
    /** Says its pid, its stdin and its working directory, then that it ran. */
    private static final List<String> TELLING = List.of("/bin/sh", "-c", "echo $$ $(readlink /proc/$$/fd/0) $(pwd); echo ran");

    @TempDir
    Path dir;

    @Test
    void releasedItRunsItsProgramAsTheProcessSpawnedWithStdinFromDevNull() throws Exception {
        Path log = dir.resolve("offload-virtd.log");
        ProcessId process;
        try (HeldDaemon daemon = ServiceLauncher.spawnHeld(TELLING, log)) {
            process = daemon.process();
            assertThat(ProcessStat.isRunning(process.pid(), process.startTime())).as("held").isTrue();
            daemon.release();
        }
        ProcessCalls.awaitExit(process.pid());
        assertThat(ProcessCalls.reap(process.pid()).exitCode()).isZero();
        assertThat(Files.readString(log)).isEqualTo(process.pid() + " /dev/null /\nran\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
    }

    /** What happens when up dies before its release: the kernel closes its end of the pipe, as close does here. */
    @Test
    void notReleasedItEndsWithoutRunningItsProgram() throws Exception {
        Path log = dir.resolve("offload-virtd.log");
        ProcessId process;
        try (HeldDaemon daemon = ServiceLauncher.spawnHeld(TELLING, log)) {
            process = daemon.process();
        }
        assertThat(ProcessStat.read(process.pid()).filter(stat -> stat.startTime() == process.startTime()))
                .as("ended and reaped").isEmpty();
        assertThat(Files.readString(log)).isEmpty();
    }
}
