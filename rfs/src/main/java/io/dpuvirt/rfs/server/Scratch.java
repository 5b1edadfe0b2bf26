package io.dpuvirt.rfs.server;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/** Native buffers a worker thread reuses for system call results (statx, statfs, directory entries, xattrs). */
final class Scratch {
    static final int XATTR_MAX = 64 * 1024;
    private static final ThreadLocal<Scratch> OF_THREAD = ThreadLocal.withInitial(Scratch::new);

    final MemorySegment statx;
    final MemorySegment statfs;
    final MemorySegment times;
    final MemorySegment flock;
    final MemorySegment dirents;
    final MemorySegment xattr;
    final MemorySegment link;

    private Scratch() {
        Arena arena = Arena.ofAuto();
        statx = arena.allocate(256, 8);
        statfs = arena.allocate(120, 8);
        times = arena.allocate(32, 8);
        flock = arena.allocate(32, 8);
        dirents = arena.allocate(64 * 1024, 8);
        xattr = arena.allocate(XATTR_MAX, 8);
        link = arena.allocate(4096, 8);
    }

    static Scratch get() {
        return OF_THREAD.get();
    }
}
