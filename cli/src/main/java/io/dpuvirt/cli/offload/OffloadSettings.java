package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What an offload profile is told: the side, the link (needed to start udsproxyd, so by {@code up}) and the
 * emulators the HOST's rexec_server must allow (empty: the profile's default).
 */
public record OffloadSettings(Side side, Optional<LinkSettings> link, List<Path> emulators) {
    public OffloadSettings {
        Objects.requireNonNull(side, "side");
        Objects.requireNonNull(link, "link");
        emulators = List.copyOf(emulators);
    }
}
