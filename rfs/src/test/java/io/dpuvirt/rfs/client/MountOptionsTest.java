package io.dpuvirt.rfs.client;

import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rfs.fuse.FuseDevice;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MountOptionsTest {
    @Test
    void optionsOverrideTheConfigurationFile() {
        MountOptions options = MountOptions.parse("peer=169.254.77.1:12900,ro,attr_timeout=0.5",
                Map.of("peer", "10.0.0.1:1", "key", "/etc/qtfs/other.key"), "/home/VMs");
        assertThat(options.transport()).isInstanceOf(Transport.Tcp.class);
        assertThat(options.transport().peer().toString()).isEqualTo("169.254.77.1:12900");
        assertThat(options.keyFile()).isEqualTo(Path.of("/etc/qtfs/other.key"));
        assertThat(options.mountFlags() & FuseDevice.MS_RDONLY).isNotZero();
        assertThat(options.mountFlags() & FuseDevice.MS_NOSUID).isNotZero();
        assertThat(options.cacheTimes().attr()).isEqualTo(Duration.ofMillis(500));
        assertThat(options.logFile()).isEqualTo(Path.of("/var/log/dpuvirt/rfs-home-VMs.log"));
        assertThat(options.insecure()).isFalse();
    }

    @Test
    void vsockPeersAndTheInsecureMode() {
        MountOptions options = MountOptions.parse("peer=vsock:2:12900,insecure,dev,suid", Map.of(), "/x");
        assertThat(options.transport()).isInstanceOf(Transport.Vsock.class);
        assertThat(options.insecure()).isTrue();
        assertThat(options.mountFlags() & (FuseDevice.MS_NODEV | FuseDevice.MS_NOSUID)).isZero();
    }

    @Test
    void mistakesAreNamed() {
        assertThatThrownBy(() -> MountOptions.parse("ro", Map.of(), "/x")).hasMessageContaining("peer=");
        assertThatThrownBy(() -> MountOptions.parse("peer=1.2.3.4:5,bogus", Map.of(), "/x")).hasMessageContaining("'bogus'");
        assertThatThrownBy(() -> MountOptions.parse("peer=1.2.3.4:5,colour=red", Map.of(), "/x")).hasMessageContaining("'colour'");
        assertThatThrownBy(() -> MountOptions.parse("peer=nonsense", Map.of(), "/x")).hasMessageContaining("ADDR:PORT");
    }
}
