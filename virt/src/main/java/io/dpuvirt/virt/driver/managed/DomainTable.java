package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A driver's domains by UUID, name and id, and the rules that hold across them: no two domains share a
 * name or a UUID (with libvirt's messages), ids count up from 1 and are not reused while the daemon runs.
 * Lookups read concurrent maps without locking; changes take the table's lock, which is only ever taken
 * after a domain's lock, never before one.
 */
final class DomainTable {
    /** What {@link #claim} found or made, locked by the caller's thread. */
    record Claim(DomainObject domain, boolean isNew) {
    }

    private final VirErrorDomain origin;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<UUID, DomainObject> byUuid = new ConcurrentHashMap<>();
    private final Map<String, DomainObject> byName = new ConcurrentHashMap<>();
    private final Map<Integer, DomainObject> byId = new ConcurrentHashMap<>();
    private int nextId = 1;

    DomainTable(VirErrorDomain origin) {
        this.origin = origin;
    }

    Optional<DomainObject> byUuid(UUID uuid) {
        return Optional.ofNullable(byUuid.get(uuid));
    }

    Optional<DomainObject> byName(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    Optional<DomainObject> byId(int id) {
        return Optional.ofNullable(byId.get(id));
    }

    Collection<DomainObject> all() {
        return byUuid.values();
    }

    /**
     * The domain {@code config} defines, locked for {@code operation}: the one with its UUID, or a new,
     * still invisible one. Refused, as libvirt refuses it, when its UUID belongs to a domain of another
     * name or its name to a domain of another UUID.
     */
    Claim claim(DomainConfig config, String operation) throws DriverException {
        UUID uuid = config.uuid().orElseThrow();
        while (true) {
            DomainObject existing;
            lock.lock();
            try {
                existing = byUuid.get(uuid);
                if (existing == null) {
                    DomainObject named = byName.get(config.name());
                    if (named != null) {
                        throw DriverException.of(VirErrorCode.OPERATION_FAILED, origin, "domain '" + config.name()
                                + "' already exists with uuid " + named.uuid());
                    }
                    DomainObject added = new DomainObject(config.name(), uuid);
                    added.lockNew(operation);
                    byUuid.put(uuid, added);
                    byName.put(config.name(), added);
                    return new Claim(added, true);
                }
                if (!existing.name().equals(config.name())) {
                    throw DriverException.of(VirErrorCode.OPERATION_FAILED, origin, "domain '" + existing.name()
                            + "' is already defined with uuid " + uuid);
                }
            } finally {
                lock.unlock();
            }
            existing.lock(operation, origin);
            if (!existing.isRemoved()) {
                return new Claim(existing, false);
            }
            existing.unlock(); // removed while we waited: look again
        }
    }

    /** Adds a domain loaded from the driver's files (at start-up, before any client). */
    void addLoaded(DomainObject domain) {
        DomainSnapshot snapshot = domain.snapshot();
        lock.lock();
        try {
            byUuid.put(domain.uuid(), domain);
            byName.put(domain.name(), domain);
            if (snapshot.isActive()) {
                byId.put(snapshot.id(), domain);
                nextId = Math.max(nextId, snapshot.id() + 1);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Takes a domain out: undefined, or transient and stopped. Its lock is held. */
    void remove(DomainObject domain) {
        lock.lock();
        try {
            byUuid.remove(domain.uuid(), domain);
            byName.remove(domain.name(), domain);
            byId.values().remove(domain);
        } finally {
            lock.unlock();
        }
        domain.markRemoved();
    }

    /** Keeps {@code id} from being assigned: a guest that could not be looked for may still hold it. */
    void reserveId(int id) {
        lock.lock();
        try {
            nextId = Math.max(nextId, id + 1);
        } finally {
            lock.unlock();
        }
    }

    int assignId(DomainObject domain) {
        lock.lock();
        try {
            int id = nextId++;
            byId.put(id, domain);
            return id;
        } finally {
            lock.unlock();
        }
    }

    void releaseId(int id) {
        lock.lock();
        try {
            byId.remove(id);
        } finally {
            lock.unlock();
        }
    }
}
