package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One domain of a driver: its lock, which serializes the operations on it, its current
 * {@link DomainSnapshot}, and its console session. The snapshot is replaced, never changed, and only
 * under the lock; readers take it without locking.
 */
final class DomainObject {
    /** As long as libvirt waits for a domain's job before it gives up. */
    static final Duration LOCK_WAIT = Duration.ofSeconds(30);

    private final String name;
    private final UUID uuid;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile DomainSnapshot snapshot;
    private volatile String operation = "";
    private final AtomicReference<ConsoleSession> console = new AtomicReference<>();
    private boolean removed;

    /** A domain being added: invisible until its first snapshot is set. */
    DomainObject(String name, UUID uuid) {
        this.name = name;
        this.uuid = uuid;
    }

    DomainObject(DomainSnapshot first) {
        this(first.name(), first.uuid());
        this.snapshot = first;
    }

    /** Never changes: a domain is not renamed, and its UUID is its identity. */
    String name() {
        return name;
    }

    UUID uuid() {
        return uuid;
    }

    /** Empty while the domain is being added. */
    Optional<DomainSnapshot> view() {
        return Optional.ofNullable(snapshot);
    }

    DomainSnapshot snapshot() {
        return snapshot;
    }

    void update(DomainSnapshot next) {
        requireLocked();
        snapshot = next;
    }

    /**
     * Takes the lock for {@code operationName}, waiting at most {@link #LOCK_WAIT}, and fails the way
     * libvirt fails when a domain stays busy.
     */
    void lock(String operationName, VirErrorDomain origin) throws DriverException {
        try {
            if (!lock.tryLock(LOCK_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw DriverException.of(VirErrorCode.OPERATION_TIMEOUT, origin,
                        "cannot acquire state change lock (held by " + operation + ")");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw DriverException.of(VirErrorCode.OPERATION_FAILED, origin, "interrupted while waiting for the domain");
        }
        if (lock.getHoldCount() == 1) {
            operation = operationName;
        }
    }

    /** For what a guest reports: waits as long as it takes, since the report must not be lost. */
    void lockForEvent() {
        lock.lock();
        if (lock.getHoldCount() == 1) {
            operation = "guest event";
        }
    }

    /** Locks a domain nobody else can see yet. */
    void lockNew(String operationName) {
        lock.lock();
        operation = operationName;
    }

    void unlock() {
        lock.unlock();
    }

    boolean isRemoved() {
        requireLocked();
        return removed;
    }

    /** It left the driver's table: whoever waited for its lock must look it up again. */
    void markRemoved() {
        requireLocked();
        removed = true;
    }

    /** The console session attached now; it clears itself when it ends, without the domain's lock. */
    AtomicReference<ConsoleSession> console() {
        return console;
    }

    private void requireLocked() {
        if (!lock.isHeldByCurrentThread()) {
            throw new IllegalStateException("domain lock not held");
        }
    }
}
