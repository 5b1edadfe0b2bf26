package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** {@code <clock offset='utc'>}; its timers stay in the extensions. */
public record ClockConfig(Optional<String> offset, Extensions extensions) {
    public ClockConfig {
        Objects.requireNonNull(offset, "offset");
        Objects.requireNonNull(extensions, "extensions");
    }
}
