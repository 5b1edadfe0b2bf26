package io.dpuvirt.virt.driver;

import java.util.Objects;

/** A running domain's security label (libvirt's {@code virSecurityLabel}); empty when it has none. */
public record SecurityLabel(String label, boolean enforcing) {
    public static final SecurityLabel NONE = new SecurityLabel("", false);

    public SecurityLabel {
        Objects.requireNonNull(label, "label");
    }
}
