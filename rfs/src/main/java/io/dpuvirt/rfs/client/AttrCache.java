package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.Attr;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The attributes this client last received for each node, with when. The kernel throws its own copy away after
 * every write (size and times changed) and asks again at the next chown, chmod or utimes: the server sends the
 * attributes after each write, so such a GETATTR is answered here, without a round trip. An answer from here is
 * given only with the validity left ({@link #remaining}), so the kernel never trusts it longer than
 * {@link CacheTimes#attr()} after the HOST reported it: the consistency rule is unchanged. Whatever this mount
 * changes forgets the nodes it touches. While a write answered before the HOST made it (write-behind) is on its
 * way, nothing is answered from here for its node, nor kept: the HOST's answer to a later getattr includes it.
 */
final class AttrCache {
    /** Attributes and the time (System.nanoTime) they were received. */
    record Entry(Attr attr, long received) {
    }

    private final long validNanos;
    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    /** Writes on their way per node; changed, and checked before an entry is kept, under this cache's lock. */
    private final Map<Long, Integer> writing = new ConcurrentHashMap<>();

    AttrCache(Duration valid) {
        this.validNanos = valid.toNanos();
    }

    void put(long nodeId, Attr attr) {
        put(nodeId, attr, System.nanoTime());
    }

    /** Attributes the HOST gave at {@code received} (System.nanoTime). */
    synchronized void put(long nodeId, Attr attr, long received) {
        if (validNanos > 0 && !writing.containsKey(nodeId)) {
            entries.put(nodeId, new Entry(attr, received));
        }
    }

    /** A write of the node is on its way to the HOST. */
    synchronized void writing(long nodeId) {
        writing.merge(nodeId, 1, Integer::sum);
        entries.remove(nodeId);
    }

    /** A write's answer came: the attributes the HOST sent with it (null: it failed), kept if it was the last. */
    synchronized void written(long nodeId, Attr attr) {
        Integer left = writing.merge(nodeId, -1, (count, one) -> count + one == 0 ? null : count + one);
        if (left == null && attr != null) {
            put(nodeId, attr);
        }
    }

    /** Attributes still valid, or null. */
    Entry fresh(long nodeId) {
        Entry entry = entries.get(nodeId);
        if (entry == null || writing.containsKey(nodeId)) {
            return null;
        }
        if (System.nanoTime() - entry.received() >= validNanos) {
            entries.remove(nodeId, entry);
            return null;
        }
        return entry;
    }

    /** How long the kernel may still trust an entry from here. */
    Duration remaining(Entry entry) {
        return Duration.ofNanos(Math.max(0, validNanos - (System.nanoTime() - entry.received())));
    }

    void forget(long nodeId) {
        entries.remove(nodeId);
    }

    /**
     * After a rename (or an unlink of a name this client does not know): link counts and change times of nodes not
     * named here may have moved.
     */
    void forgetAll() {
        entries.clear();
    }
}
