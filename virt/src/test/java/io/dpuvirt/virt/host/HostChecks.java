package io.dpuvirt.virt.host;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What every {@link Host} must do, checked against the host each implementation's test sets up. */
public final class HostChecks {
    private HostChecks() {
    }

    /** A process's run directory ({@code run}, where the host may change files) goes with its files before its end is reported. */
    public static void runDirectoryGoesWithItsFilesBeforeTheEndIsReported(Host host, Path run, Duration wait) throws Exception {
        Files.createDirectories(run);
        Files.writeString(run.resolve("pid"), "1\n");
        HostProcess process = host.spawn(ProcessSpec.of(List.of("/bin/sh", "-c", "exec sleep 30")).withRunDirectory(run));
        Files.writeString(run.resolve("monitor.sock"), ""); // stands for what the process made there
        assertThat(run).isDirectory();

        process.signal(Signal.KILL);

        assertThat(process.waitFor(wait)).hasValue(new ProcessExit.Signalled(Signal.KILL.number()));
        assertThat(run).as("gone when the end is known").doesNotExist();
    }
}
