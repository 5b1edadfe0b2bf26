package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code <graphics>} console (vnc, spice…). A guest run headless ({@code virt-install --graphics none})
 * simply has none. Listen children and passwords stay in the extensions.
 */
public record GraphicsConfig(String type, Optional<Integer> port, Optional<Boolean> autoport, Optional<String> listen,
                             Extensions extensions) {
    public GraphicsConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(extensions, "extensions");
    }
}
