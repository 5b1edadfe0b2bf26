package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.daemon.GuestHost;
import io.dpuvirt.daemon.HostLink;
import io.dpuvirt.daemon.VirtdConfig;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rpc.server.KeepalivePolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Where virtd's guests run, and how it reaches their HOST: its options over its configuration file. */
class VirtdOptionsTest {
    @TempDir
    Path dir;

    /** virtd's configuration from {@code args}, with {@code file} as its configuration file (never /etc's). */
    private VirtdConfig configure(String file, String... args) throws Exception {
        Path config = Files.writeString(dir.resolve("virtd.conf"), file);
        List<String> all = new ArrayList<>(List.of("--config", config.toString()));
        all.addAll(List.of(args));
        return VirtdMain.configure(new Arguments(all.toArray(String[]::new)));
    }

    private static HostLink link(VirtdConfig config) {
        return ((GuestHost.Remote) config.guestHost()).link().orElseThrow();
    }

    @Test
    void theOptionsNameTheHostsUdsproxydAndTheLinksKey() throws Exception {
        VirtdConfig config = configure("", "--guests", "remote", "--host-udsproxyd", "169.254.77.1:12121", "--link-key", "k.key");
        assertThat(link(config).transport()).isInstanceOf(Transport.Tcp.class);
        assertThat(link(config).transport().peer()).hasToString("169.254.77.1:12121");
        assertThat(link(config).keyFile()).as("made absolute").isEqualTo(Path.of("k.key").toAbsolutePath());
        assertThat(link(configure("", "--guests", "remote", "--host-udsproxyd", "vsock:2:12121", "--link-key", "/k"))
                .transport()).isInstanceOf(Transport.Vsock.class);
        assertThat(((GuestHost.Remote) configure("", "--guests", "remote").guestHost()).link())
                .as("without them: the mirrors on this side").isEmpty();
    }

    @Test
    void anOptionChangesWhatTheFileSays() throws Exception {
        String file = "[host]\nguests=remote\nudsproxyd=169.254.77.1:12121\nlink_key=/etc/dpuvirt/link.key\n";
        assertThat(link(configure(file)).keyFile()).isEqualTo(Path.of("/etc/dpuvirt/link.key"));
        assertThat(link(configure(file, "--link-key", "/other.key")).keyFile()).isEqualTo(Path.of("/other.key"));
        assertThat(link(configure(file, "--link-key", "/other.key")).transport().peer()).hasToString("169.254.77.1:12121");
        assertThat(link(configure(file, "--host-udsproxyd", "169.254.77.9:13000")).transport().peer())
                .hasToString("169.254.77.9:13000");
        assertThat(configure(file, "--guests", "local").guestHost()).isEqualTo(new GuestHost.Local());
    }

    @Test
    void keepaliveOptionsChangeWhatTheFileSaysOneByOne() throws Exception {
        assertThat(configure("").keepalive()).isEqualTo(KeepalivePolicy.LIBVIRT_DEFAULT);
        String file = "[server]\nkeepalive_interval=10\nkeepalive_count=2\n";
        assertThat(configure(file).keepalive()).isEqualTo(new KeepalivePolicy(Duration.ofSeconds(10), 2));
        assertThat(configure(file, "--keepalive-count", "0").keepalive()).isEqualTo(new KeepalivePolicy(Duration.ofSeconds(10), 0));
        assertThat(configure(file, "--keepalive-interval", "-1").keepalive().pings()).isFalse();
        assertThat(configure("", "--keepalive-interval=3", "--keepalive-count=4").keepalive())
                .isEqualTo(new KeepalivePolicy(Duration.ofSeconds(3), 4));
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> configure("", "--keepalive-interval", "5s")).isInstanceOf(UsageException.class)
                .hasMessage("--keepalive-interval wants a whole number of seconds (-1: no PINGs), not '5s'");
        assertThatThrownBy(() -> configure("", "--keepalive-count", "-1")).isInstanceOf(UsageException.class)
                .hasMessage("--keepalive-count wants a count of PINGs (0 or more), not '-1'");
        assertThatThrownBy(() -> configure("", "--host-udsproxyd", "169.254.77.1:12121", "--link-key", "/k"))
                .isInstanceOf(UsageException.class).hasMessage("--host-udsproxyd is for --guests remote");
        assertThatThrownBy(() -> configure("", "--link-key", "/k"))
                .isInstanceOf(UsageException.class).hasMessage("--link-key is for --guests remote");
        assertThatThrownBy(() -> configure("", "--guests", "remote", "--host-udsproxyd", "169.254.77.1:12121"))
                .isInstanceOf(UsageException.class).hasMessageStartingWith("--host-udsproxyd and --link-key go together");
        assertThatThrownBy(() -> configure("", "--guests", "remote", "--host-udsproxyd", "host:12121", "--link-key", "/k"))
                .isInstanceOf(UsageException.class).hasMessage("--host-udsproxyd: not an IPv4 address: host");
        assertThatThrownBy(() -> configure("[host]\nguests=remote\nlink_key=/k\n"))
                .isInstanceOf(ConfigException.class).hasMessageContaining("virtd.conf:3: udsproxyd and link_key go together");
    }
}
