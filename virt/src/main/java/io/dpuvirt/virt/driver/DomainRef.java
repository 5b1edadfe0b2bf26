package io.dpuvirt.virt.driver;

import java.util.Objects;
import java.util.UUID;

/**
 * A domain as the client holds it (libvirt's {@code virDomainPtr}): name, UUID and id, the id being
 * {@link #INACTIVE_ID} when it does not run. Drivers find the domain by its UUID, as libvirt's do.
 */
public record DomainRef(String name, UUID uuid, int id) {
    public static final int INACTIVE_ID = -1;

    public DomainRef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
    }

    public boolean isActive() {
        return id != INACTIVE_ID;
    }
}
