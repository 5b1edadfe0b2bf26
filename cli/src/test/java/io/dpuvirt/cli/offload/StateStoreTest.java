package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The state file: every kind of change survives a save and a load, odd characters included; a bad line is named. */
class StateStoreTest {
    @TempDir
    Path dir;

    @Test
    void everyChangeComesBackAsItWasSaved() throws Exception {
        StateStore store = new StateStore(dir.resolve("offload"), "libvirt", Side.DPU);
        ProfileState state = new ProfileState("libvirt", Side.DPU, List.of(
                new Change.CreatedDirectory(Path.of("/run/dpuvirt")),
                new Change.CreatedFile(Path.of("/etc/qtfs/whitelist")),
                new Change.AddedWhitelistEntry(Path.of("/etc/qtfs/whitelist"), Whitelist.Section.UDSCONNECT, "/var/lib/a dir;50%"),
                new Change.ListedProgram(Path.of("/etc/rexec/whitelist"), "/usr/bin/qemu-system-x86_64"),
                new Change.SetValue(Path.of("/etc/dpuvirt/virtd.conf"), "host", "guests", "remote", Optional.of("local")),
                new Change.SetValue(Path.of("/etc/dpuvirt/virtd.conf"), "host", "note", "", Optional.empty()),
                new Change.StartedService("udsproxyd", true),
                new Change.StartedService("virtd", false)));
        Files.createDirectories(store.directory());
        store.save(state);

        assertThat(store.file()).isEqualTo(dir.resolve("offload/libvirt-dpu.state"));
        assertThat(store.load()).contains(state);
        assertThat(Files.readString(store.file())).contains(
                "whitelist /etc/qtfs/whitelist Udsconnect /var/lib/a%20dir;50%25\n",
                "setting /etc/dpuvirt/virtd.conf host guests remote local\n",
                "setting /etc/dpuvirt/virtd.conf host note %\n",
                "service udsproxyd log-created\n");
        assertThat(Files.getPosixFilePermissions(store.file())).hasToString("[OWNER_READ, OWNER_WRITE]");

        store.save(state.withoutLast());
        assertThat(store.load().orElseThrow().changes()).hasSize(7);
        store.delete();
        assertThat(store.load()).isEmpty();
    }

    @Test
    void aLineThatIsNotAChangeIsNamedWithItsNumber() {
        Path file = Path.of("/run/dpuvirt/offload/libvirt-host.state");
        assertThatThrownBy(() -> StateStore.parse(file, "profile libvirt\nside host\ndirectory /a /b\n"))
                .isInstanceOf(ConfigException.class).hasMessage(file + ":3: 'directory' needs 1 fields, not 2");
        assertThatThrownBy(() -> StateStore.parse(file, "profile libvirt\nside host\nmount /a\n"))
                .hasMessage(file + ":3: unknown change 'mount' (directory, file, whitelist, program, setting, service)");
        assertThatThrownBy(() -> StateStore.parse(file, "profile libvirt\nside host\nfile /a%2\n"))
                .hasMessage(file + ":3: '%' without two hexadecimal digits in '/a%2'");
        assertThatThrownBy(() -> StateStore.parse(file, "profile libvirt\nside guest\n"))
                .hasMessage(file + ":2: no side 'guest' (host or dpu)");
        assertThatThrownBy(() -> StateStore.parse(file, "# nothing\n"))
                .hasMessage(file + ": no 'profile' or 'side' line: not a state file of dpuvirt offload");
    }
}
