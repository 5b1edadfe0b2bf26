package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    /**
     * The fingerprint of a weak, human-chosen key would let a guess be tested: the pid file is root's alone, also one an
     * earlier dpuvirt left readable by all (replaced, never rewritten in place).
     */
    @Test
    void theKeysFingerprintIsRecordedInAFileOnlyItsOwnerReads() throws Exception {
        Path key = Files.writeString(dir.resolve("link.key"), "a key of sixteen bytes or more");
        KeyFingerprint fingerprint = KeyFingerprint.of(key);
        LaunchSettings settings = new LaunchSettings(List.of("/opt/dpuvirt/bin/udsproxyd", "--key", key.toString()), List.of(),
                Optional.of(fingerprint));
        PidFile pidFile = PidFile.of(dir, "udsproxyd");
        Files.writeString(pidFile.file(), SELF.pid() + " " + SELF.startTime() + "\n");
        Files.setPosixFilePermissions(pidFile.file(), PosixFilePermissions.fromString("rw-r--r--"));
        pidFile.write(SELF, settings);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pidFile.file()))).isEqualTo("rw-------");
        assertThat(fingerprint.sha256()).hasSize(64).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(key))));
        assertThat(Files.readString(pidFile.file())).endsWith("\nkey " + key + " " + fingerprint.sha256() + "\n")
                .doesNotContain("sixteen");
        assertThat(pidFile.status().startedWith()).contains(settings);
    }

    @Test
    void aKeyFileThatCannotBeReadIsNamed() throws Exception {
        Path missing = dir.resolve("no.key");
        assertThatThrownBy(() -> KeyFingerprint.of(missing)).isInstanceOf(OffloadException.class)
                .hasMessage("--key " + missing + ": no such file");
        assertThatThrownBy(() -> KeyFingerprint.of(dir)).isInstanceOf(OffloadException.class)
                .hasMessage("--key " + dir + ": Is a directory");
    }

    @Test
    void aPidFileThatDoesNotRecordTheSettingsStillNamesTheProcess() throws Exception {
        PidFile pidFile = PidFile.of(dir, "virtd");
        for (String settings : List.of("", "argv /bin/sleep%zz\n", "argv /bin/sleep\nmount /a\n", "argv x\nsetting /a host\n",
                "argv x\nkey /a.key 0123\n")) {
            Files.writeString(pidFile.file(), SELF.pid() + " " + SELF.startTime() + "\n" + settings);

            assertThat(pidFile.status().process()).as(settings).contains(SELF);
            assertThat(pidFile.status().startedWith()).as(settings).isEmpty();
        }
    }
}
