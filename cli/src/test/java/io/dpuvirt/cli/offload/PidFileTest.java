package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A pid file names its process by pid and start time, and records the settings it was started with. */
class PidFileTest {
    private static final ProcessId SELF = new ProcessId((int) ProcessHandle.current().pid(),
            ProcessStat.read((int) ProcessHandle.current().pid()).orElseThrow().startTime());

    @TempDir
    Path dir;

    @Test
    void theSettingsComeBackAsTheyWereWrittenOddCharactersIncluded() throws Exception {
        Path key = Path.of("/etc/qtfs/link 50%.key");
        LaunchSettings settings = new LaunchSettings(List.of("/opt/dpuvirt/bin/udsproxyd", "--key", key.toString(), ""),
                List.of(new SettingRequirement(Path.of("/etc/dpuvirt/virtd.conf"), "host", "link_key", key.toString())));
        PidFile pidFile = PidFile.of(dir, "udsproxyd");
        pidFile.write(SELF, settings);

        assertThat(Files.readString(pidFile.file())).isEqualTo(SELF.pid() + " " + SELF.startTime() + "\n"
                + "argv /opt/dpuvirt/bin/udsproxyd --key /etc/qtfs/link%2050%25.key %\n"
                + "setting /etc/dpuvirt/virtd.conf host link_key /etc/qtfs/link%2050%25.key\n");
        assertThat(pidFile.status()).isEqualTo(new PidFile.Status(Optional.of(SELF), Optional.of(settings),
                "udsproxyd runs (pid " + SELF.pid() + ")"));
    }

    @Test
    void aPidFileThatDoesNotRecordTheSettingsStillNamesTheProcess() throws Exception {
        PidFile pidFile = PidFile.of(dir, "virtd");
        for (String settings : List.of("", "argv /bin/sleep%zz\n", "argv /bin/sleep\nmount /a\n", "argv x\nsetting /a host\n")) {
            Files.writeString(pidFile.file(), SELF.pid() + " " + SELF.startTime() + "\n" + settings);

            assertThat(pidFile.status().process()).as(settings).contains(SELF);
            assertThat(pidFile.status().startedWith()).as(settings).isEmpty();
        }
    }
}
