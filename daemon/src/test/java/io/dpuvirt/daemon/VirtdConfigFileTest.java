package io.dpuvirt.daemon;

import io.dpuvirt.common.config.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VirtdConfigFileTest {
    @TempDir
    Path dir;

    private VirtdConfig read(String text) throws Exception {
        Path file = Files.writeString(dir.resolve("virtd.conf"), text);
        return VirtdConfigFile.apply(file, true, VirtdConfig.defaults());
    }

    @Test
    void guestsAreLocalUnlessTheFileSaysRemote() throws Exception {
        assertThat(read("# nothing\n").guestHost()).isEqualTo(new GuestHost.Local());
        assertThat(read("[host]\nguests=remote\n").guestHost())
                .isEqualTo(new GuestHost.Remote(GuestHost.DEFAULT_REXEC_SOCKET));
        assertThat(read("[host]\nguests = remote\nrexec_socket = /run/r.sock\n").guestHost())
                .isEqualTo(new GuestHost.Remote(Path.of("/run/r.sock")));
    }

    @Test
    void aMissingDefaultFileSaysNothingButANamedOneMustExist() throws Exception {
        assertThat(VirtdConfigFile.apply(dir.resolve("none.conf"), false, VirtdConfig.defaults()))
                .isEqualTo(VirtdConfig.defaults());
        assertThatThrownBy(() -> VirtdConfigFile.apply(dir.resolve("none.conf"), true, VirtdConfig.defaults()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("none.conf").hasMessageContaining("cannot read");
    }

    @Test
    void mistakesAreNamedWithTheirLine() {
        assertThatThrownBy(() -> read("[host]\nguests=remote\nrexec-socket=/x\n"))
                .hasMessageEndingWith("virtd.conf:3: unknown key 'rexec-socket' in [host] (known: guests, rexec_socket)");
        assertThatThrownBy(() -> read("[hosts]\n")).hasMessageEndingWith("virtd.conf:1: unknown section [hosts] (virtd knows [host])");
        assertThatThrownBy(() -> read("[host]\nguests=dpu\n")).hasMessageEndingWith("virtd.conf:2: guests must be local or remote, not 'dpu'");
        assertThatThrownBy(() -> read("[host]\nrexec_socket=/x\n")).hasMessageEndingWith("virtd.conf:2: rexec_socket is for guests=remote");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nrexec_socket=x.sock\n"))
                .hasMessageEndingWith("virtd.conf:3: rexec_socket must be an absolute path, not 'x.sock'");
        assertThatThrownBy(() -> read("[host]\nremote\n")).hasMessageEndingWith("virtd.conf:2: 'remote' is not KEY=VALUE");
    }
}
