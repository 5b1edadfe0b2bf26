package io.dpuvirt.fabric.link;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Native memory for one relay direction, starting small and growing (up to a limit) when traffic fills it:
 * a thousand idle streams cost little, a bulk transfer gets 1 MiB reads. Memory is released by the garbage
 * collector ({@code Arena.ofAuto}); closing a shared arena per stream would stop every thread each time.
 */
public final class Buffer {
    private MemorySegment segment;
    private final long maximum;

    public Buffer(long initial, long maximum) {
        this.maximum = maximum;
        this.segment = Arena.ofAuto().allocate(initial, 64);
    }

    public MemorySegment segment() {
        return segment;
    }

    public long capacity() {
        return segment.byteSize();
    }

    /** Grows to at least {@code size} bytes, keeping the first {@code keep} bytes. */
    public void ensure(long size, long keep) {
        if (size <= segment.byteSize()) {
            return;
        }
        if (size > maximum) {
            throw new IllegalArgumentException("buffer of " + size + " bytes exceeds the limit of " + maximum);
        }
        MemorySegment larger = Arena.ofAuto().allocate(Math.min(maximum, Math.max(size, segment.byteSize() * 2)), 64);
        MemorySegment.copy(segment, 0, larger, 0, keep);
        segment = larger;
    }

    /** Doubles the capacity unless at the limit; for readers that filled the whole buffer. */
    public void grow() {
        if (segment.byteSize() < maximum) {
            ensure(Math.min(maximum, segment.byteSize() * 2), 0);
        }
    }
}
