package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** {@code <features>} the model knows (gic is the ARM interrupt controller, version 2, 3 or host); the others (hyperv, kvm, smm, vmport…) stay in the extensions. */
public record Features(boolean acpi, boolean apic, boolean pae, boolean gic, Optional<String> gicVersion,
                       Extensions extensions) {
    public Features {
        Objects.requireNonNull(gicVersion, "gicVersion");
        Objects.requireNonNull(extensions, "extensions");
        if (gicVersion.isPresent() && !gic) {
            throw new IllegalArgumentException("a GIC version needs the gic feature");
        }
    }
}
