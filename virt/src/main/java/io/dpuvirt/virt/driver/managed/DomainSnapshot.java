package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.DomainStatus;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One domain at one moment, immutable, so that lists and queries read it without waiting for an
 * operation in progress. {@code definition} is the persistent definition (or, for a transient domain,
 * the one it was created with); {@code live} and {@code guest} are there while it runs: a definition
 * replaced meanwhile applies from the next start.
 */
record DomainSnapshot(DomainConfig definition, boolean persistent, boolean autostart, DomainStatus status, int id,
                      Optional<DomainConfig> live, Optional<Guest> guest) {
    DomainSnapshot {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(live, "live");
        Objects.requireNonNull(guest, "guest");
    }

    static DomainSnapshot defined(DomainConfig definition, boolean autostart) {
        return new DomainSnapshot(definition, true, autostart, DomainStatus.SHUT_OFF, DomainRef.INACTIVE_ID,
                Optional.empty(), Optional.empty());
    }

    String name() {
        return definition.name();
    }

    UUID uuid() {
        return definition.uuid().orElseThrow();
    }

    boolean isActive() {
        return status.isActive();
    }

    DomainRef ref() {
        return new DomainRef(name(), uuid(), id);
    }

    /** The definition in force: the live one while running. */
    DomainConfig current() {
        return live.orElse(definition);
    }

    DomainSnapshot withDefinition(DomainConfig newDefinition) {
        return new DomainSnapshot(newDefinition, true, autostart, status, id, live, guest);
    }

    DomainSnapshot withAutostart(boolean newAutostart) {
        return new DomainSnapshot(definition, persistent, newAutostart, status, id, live, guest);
    }

    /** Undefined while running: it goes on, transient. */
    DomainSnapshot transientNow() {
        return new DomainSnapshot(live.orElse(definition), false, false, status, id, live, guest);
    }

    DomainSnapshot withStatus(DomainStatus newStatus) {
        return new DomainSnapshot(definition, persistent, autostart, newStatus, id, live, guest);
    }

    DomainSnapshot started(DomainConfig liveConfig, int newId, DomainStatus newStatus, Guest newGuest) {
        return new DomainSnapshot(definition, persistent, autostart, newStatus, newId, Optional.of(liveConfig),
                Optional.of(newGuest));
    }

    DomainSnapshot stopped(DomainStatus shutoff) {
        return new DomainSnapshot(definition, persistent, autostart, shutoff, DomainRef.INACTIVE_ID, Optional.empty(),
                Optional.empty());
    }
}
