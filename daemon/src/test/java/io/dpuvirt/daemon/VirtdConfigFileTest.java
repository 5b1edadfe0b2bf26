package io.dpuvirt.daemon;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rpc.server.KeepalivePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
    void theHostsUdsproxydAndTheLinksKeyComeTogether() throws Exception {
        GuestHost.Remote remote = (GuestHost.Remote) read("[host]\nguests=remote\nudsproxyd=169.254.77.1:12121\n"
                + "link_key=/etc/dpuvirt/link.key\n").guestHost();
        assertThat(remote.link()).hasValueSatisfying(link -> {
            assertThat(link.transport()).isInstanceOf(Transport.Tcp.class);
            assertThat(link.transport().peer()).hasToString("169.254.77.1:12121");
            assertThat(link.keyFile()).isEqualTo(Path.of("/etc/dpuvirt/link.key"));
        });
        GuestHost.Remote vsock = (GuestHost.Remote) read("[host]\nguests=remote\nudsproxyd=vsock:2:12121\n"
                + "link_key=/k\n").guestHost();
        assertThat(vsock.link().orElseThrow().transport()).isInstanceOf(Transport.Vsock.class);
        assertThat(((GuestHost.Remote) read("[host]\nguests=remote\n").guestHost()).link()).isEmpty();

        assertThatThrownBy(() -> read("[host]\nguests=remote\nudsproxyd=169.254.77.1:12121\n"))
                .hasMessageEndingWith("virtd.conf:3: udsproxyd and link_key go together: link_key (the link's key file) is missing");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nudsproxyd=host:12121\nlink_key=/k\n"))
                .hasMessageEndingWith("virtd.conf:3: udsproxyd: not an IPv4 address: host");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nudsproxyd=169.254.77.1\nlink_key=/k\n"))
                .hasMessageEndingWith("virtd.conf:3: udsproxyd: '169.254.77.1' is not ADDR:PORT or vsock:CID:PORT");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nudsproxyd=169.254.77.1:1\nlink_key=/k\n"))
                .hasMessageEndingWith("virtd.conf:3: udsproxyd: port 1 out of range 1024-65535");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nudsproxyd=169.254.77.1:12121\nlink_key=k\n"))
                .hasMessageEndingWith("virtd.conf:4: link_key must be an absolute path, not 'k'");
        assertThatThrownBy(() -> read("[host]\nlink_key=/k\n")).hasMessageEndingWith("virtd.conf:2: link_key is for guests=remote");
    }

    @Test
    void keepaliveIsLibvirtdsUnlessTheFileSaysOtherwise() throws Exception {
        assertThat(read("[host]\nguests=local\n").keepalive()).isEqualTo(KeepalivePolicy.LIBVIRT_DEFAULT);
        assertThat(read("[server]\nkeepalive_interval = 10\nkeepalive_count = 0\n").keepalive())
                .isEqualTo(new KeepalivePolicy(Duration.ofSeconds(10), 0));
        assertThat(read("[server]\nkeepalive_count=2\n").keepalive()).isEqualTo(new KeepalivePolicy(Duration.ofSeconds(5), 2));
        KeepalivePolicy off = read("[server]\nkeepalive_interval=-1\n").keepalive();
        assertThat(off.pings()).isFalse();
        assertThat(off.count()).isEqualTo(5);

        assertThatThrownBy(() -> read("[server]\nkeepalive_interval=5s\n")).hasMessageEndingWith(
                "virtd.conf:2: keepalive_interval wants a whole number of seconds (-1: no PINGs), not '5s'");
        assertThatThrownBy(() -> read("[server]\nkeepalive_interval=5\nkeepalive_count=-1\n"))
                .hasMessageEndingWith("virtd.conf:3: keepalive_count wants a count of PINGs (0 or more), not '-1'");
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
                .hasMessageEndingWith("virtd.conf:3: unknown key 'rexec-socket' in [host] (known: guests, rexec_socket, udsproxyd, link_key)");
        assertThatThrownBy(() -> read("[hosts]\n"))
                .hasMessageEndingWith("virtd.conf:1: unknown section [hosts] (virtd knows [host] and [server])");
        assertThatThrownBy(() -> read("[server]\nkeepalive=5\n"))
                .hasMessageEndingWith("virtd.conf:2: unknown key 'keepalive' in [server] (known: keepalive_interval, keepalive_count)");
        assertThatThrownBy(() -> read("[host]\nguests=dpu\n")).hasMessageEndingWith("virtd.conf:2: guests must be local or remote, not 'dpu'");
        assertThatThrownBy(() -> read("[host]\nrexec_socket=/x\n")).hasMessageEndingWith("virtd.conf:2: rexec_socket is for guests=remote");
        assertThatThrownBy(() -> read("[host]\nguests=remote\nrexec_socket=x.sock\n"))
                .hasMessageEndingWith("virtd.conf:3: rexec_socket must be an absolute path, not 'x.sock'");
        assertThatThrownBy(() -> read("[host]\nremote\n")).hasMessageEndingWith("virtd.conf:2: 'remote' is not KEY=VALUE");
    }
}
