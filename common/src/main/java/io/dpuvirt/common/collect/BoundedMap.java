package io.dpuvirt.common.collect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A map of at most {@code capacity} entries: a put beyond that drops the eldest entry, the one put first
 * ({@link #eldestGoes}) or the one used least recently ({@link #leastRecentlyUsedGoes}). Not thread-safe.
 */
public final class BoundedMap<K, V> extends LinkedHashMap<K, V> {
    private final int capacity;

    private BoundedMap(int capacity, boolean accessOrder) {
        super(16, 0.75f, accessOrder);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity " + capacity);
        }
        this.capacity = capacity;
    }

    /** Drops the entry put first. */
    public static <K, V> BoundedMap<K, V> eldestGoes(int capacity) {
        return new BoundedMap<>(capacity, false);
    }

    /** Drops the entry read or put least recently. */
    public static <K, V> BoundedMap<K, V> leastRecentlyUsedGoes(int capacity) {
        return new BoundedMap<>(capacity, true);
    }

    @Override
    protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > capacity;
    }
}
