package io.dpuvirt.cli.offload;

import io.dpuvirt.cli.Arguments;
import io.dpuvirt.cli.UsageException;
import io.dpuvirt.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Options over /etc/dpuvirt/offload.conf; a wrong option is a usage error, a wrong line names file and line. */
class SettingsReaderTest {
    @TempDir
    Path dir;

    private OffloadSettings read(String... args) throws Exception {
        Arguments arguments = new Arguments(args);
        OffloadSettings settings = SettingsReader.read(arguments, "libvirt");
        assertThat(arguments.positionals()).isEmpty();
        return settings;
    }

    private String config(String text) throws Exception {
        return Files.writeString(dir.resolve("offload.conf"), text).toString();
    }

    @Test
    void optionsAlone() throws Exception {
        OffloadSettings settings = read("--side", "host", "--key", "/etc/qtfs/link.key", "--local", "169.254.77.1",
                "--peer", "169.254.77.2", "--emulator", "/usr/bin/qemu-kvm", "--emulator", "/usr/bin/qemu-system-aarch64",
                "--config", config(""));
        assertThat(settings).isEqualTo(new OffloadSettings(Side.HOST, Optional.of(new LinkSettings(Path.of("/etc/qtfs/link.key"),
                "169.254.77.1", "169.254.77.2", 12121, false)), List.of(Path.of("/usr/bin/qemu-kvm"), Path.of("/usr/bin/qemu-system-aarch64"))));
        assertThat(read("--side", "dpu", "--config", config("")).link()).isEmpty();
    }

    @Test
    void theFileFillsInWhatTheOptionsDoNotSay() throws Exception {
        String file = config("[libvirt]\nside=dpu\nkey=/etc/qtfs/link.key\nlocal=3\npeer=2\nport=12200\nvsock=true\nemulator=/usr/bin/a;/usr/bin/b\n");
        OffloadSettings settings = read("--config", file, "--port", "12300", "--peer", "4");
        assertThat(settings.side()).isEqualTo(Side.DPU);
        assertThat(settings.link()).contains(new LinkSettings(Path.of("/etc/qtfs/link.key"), "3", "4", 12300, true));
        assertThat(settings.emulators()).containsExactly(Path.of("/usr/bin/a"), Path.of("/usr/bin/b"));
        assertThat(read("--config", file, "--emulator", "/usr/bin/c").emulators()).containsExactly(Path.of("/usr/bin/c"));
    }

    @Test
    void mistakesAreNamed() throws Exception {
        String file = config("[libvirt]\nside=host\nport=99999\n");
        assertThatThrownBy(() -> read("--config", file)).isInstanceOf(ConfigException.class)
                .hasMessage(file + ":3: port=99999: not a port (1 to 65535)");
        assertThatThrownBy(() -> read("--config", config("[libvirt]\nside=host\nvsock=yes\n")))
                .hasMessage(file + ":3: vsock=yes: true or false");
        assertThatThrownBy(() -> read("--config", config("[libvirt]\nsides=host\n")))
                .hasMessage(file + ":2: unknown key 'sides' (known: side, key, local, peer, port, vsock, emulator)");
        assertThatThrownBy(() -> read("--config", config("[containers]\nside=host\n")))
                .hasMessage(file + ":1: unknown section [containers] (profiles: libvirt)");
        assertThatThrownBy(() -> read("--config", config("[libvirt]\nemulator=qemu\nside=host\n")))
                .hasMessage(file + ":2: emulator qemu is not an absolute path");
        assertThatThrownBy(() -> read("--config", dir.resolve("missing.conf").toString(), "--side", "host"))
                .hasMessage(dir.resolve("missing.conf") + ": does not exist (--config)");
        assertThatThrownBy(() -> read("--config", config(""), "--side", "guest")).isInstanceOf(UsageException.class)
                .hasMessage("--side guest: no side 'guest' (host or dpu)");
        assertThatThrownBy(() -> read("--config", config(""))).isInstanceOf(UsageException.class)
                .hasMessage("which side is this? give --side host|dpu (or side= under [libvirt] in " + file + ")");
    }
}
