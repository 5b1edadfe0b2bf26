package io.dpuvirt.cli.offload;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What differs between the settings a daemon was started with and up's, in words; nothing when only the order does. */
class LaunchSettingsTest {
    private static final Path CONF = Path.of("/etc/dpuvirt/virtd.conf");
    private static final List<String> VIRTD = List.of("/opt/dpuvirt/bin/virtd");
    private static final SettingRequirement GUESTS = new SettingRequirement(CONF, "host", "guests", "remote");
    private static final SettingRequirement PEER = new SettingRequirement(CONF, "host", "udsproxyd", "10.0.0.1:12121");

    @Test
    void theSameSettingsInAnotherOrderAreNoChange() {
        assertThat(new LaunchSettings(VIRTD, List.of(GUESTS, PEER)).changedFrom(Optional.of(new LaunchSettings(VIRTD, List.of(PEER, GUESTS)))))
                .isEmpty();
    }

    /** Only what the key file holds counts: a pid file of an earlier dpuvirt, without it, means one restart. */
    @Test
    void anotherKeyInTheSameFileIsNamedAndAnUnrecordedOneToo() {
        Path file = Path.of("/etc/qtfs/link.key");
        LaunchSettings old = new LaunchSettings(VIRTD, List.of(), Optional.of(new KeyFingerprint(file, "a".repeat(64))));
        LaunchSettings rotated = new LaunchSettings(VIRTD, List.of(), Optional.of(new KeyFingerprint(file, "b".repeat(64))));
        LaunchSettings moved = new LaunchSettings(VIRTD, List.of(), Optional.of(new KeyFingerprint(Path.of("/k"), "a".repeat(64))));

        assertThat(rotated.changedFrom(Optional.of(old))).contains(file + " holds another key than the one it started with");
        assertThat(moved.changedFrom(Optional.of(old))).as("the same key elsewhere").isEmpty();
        assertThat(rotated.changedFrom(Optional.of(new LaunchSettings(VIRTD, List.of()))))
                .contains("its pid file does not record which key it was started with (an earlier dpuvirt wrote it)");
    }

    @Test
    void aKeySetOrNoLongerSetIsNamed() {
        LaunchSettings before = new LaunchSettings(VIRTD, List.of(GUESTS));
        assertThat(new LaunchSettings(VIRTD, List.of(GUESTS, PEER)).changedFrom(Optional.of(before)))
                .contains("[host] udsproxyd of " + CONF + " was not set, now 10.0.0.1:12121");
        assertThat(before.changedFrom(Optional.of(new LaunchSettings(VIRTD, List.of(GUESTS, PEER)))))
                .contains("[host] udsproxyd of " + CONF + " was 10.0.0.1:12121, which up no longer sets");
    }
}
