package io.dpuvirt.rfs.client;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Before every write the kernel asks whether the file carries file capabilities ({@code security.capability}),
 * which it must drop on a write: one more round trip per write, nearly always answered "none". This remembers that
 * answer per node for the attribute cache time, like any other attribute; a change of the node's extended
 * attributes through this mount forgets it at once.
 */
final class CapabilityCache {
    static final String NAME = "security.capability";

    private final long validNanos;
    private final Map<Long, Long> noneUntil = new ConcurrentHashMap<>();

    CapabilityCache(Duration valid) {
        this.validNanos = valid.toNanos();
    }

    boolean knownAbsent(long nodeId) {
        Long until = noneUntil.get(nodeId);
        if (until == null) {
            return false;
        }
        if (System.nanoTime() - until > 0) {
            noneUntil.remove(nodeId, until);
            return false;
        }
        return true;
    }

    void absent(long nodeId) {
        if (validNanos > 0) {
            noneUntil.put(nodeId, System.nanoTime() + validNanos);
        }
    }

    void changed(long nodeId) {
        noneUntil.remove(nodeId);
    }
}
