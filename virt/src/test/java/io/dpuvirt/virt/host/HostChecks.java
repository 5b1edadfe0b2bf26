package io.dpuvirt.virt.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link Host} must do, checked against the host each implementation's test sets up. */
public final class HostChecks {
    private HostChecks() {
    }

    /**
     * A process's run directory ({@code run}, where the host may change files; its parent missing) is made private
     * before the start, with the directory of its log ({@code log}, where output may go; its directory missing), and
     * goes with its files before its end is reported.
     */
    public static void runDirectoryIsMadeBeforeTheStartAndGoesBeforeTheEndIsReported(Host host, Path run, Path log,
            Duration wait) throws Exception {
        HostProcess process = host.spawn(ProcessSpec.of(List.of("/bin/sh", "-c", "test -d \"$0\" && exec sleep 30", run.toString()))
                .withStdio(Stdio.none(), Stdio.appendTo(log), Stdio.appendTo(log))
                .withRunDirectory(run));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(run))).isEqualTo("rwx------");
        assertThat(log).isRegularFile();
        Files.writeString(run.resolve("monitor.sock"), ""); // stands for what the process made there
        assertThat(process.isAlive()).as("the directory was there when it started").isTrue();

        assertThat(process.signalAndWaitFor(Signal.KILL, wait)).hasValue(new ProcessExit.Signalled(Signal.KILL.number()));
        assertThat(run).as("gone when the end is known").doesNotExist();
    }
}
