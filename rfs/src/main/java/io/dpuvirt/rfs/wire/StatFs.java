package io.dpuvirt.rfs.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** statfs(2) of the file system holding a path on the HOST; {@code type} is its magic number. */
public record StatFs(long type, long blocks, long bfree, long bavail, long files, long ffree, int bsize, int namelen,
                     int frsize) {
    /** The 64-bit struct statfs. */
    public static final int SIZE = 120;

    public static StatFs ofStatfs(MemorySegment statfs) {
        return new StatFs(statfs.get(ValueLayout.JAVA_LONG, 0), statfs.get(ValueLayout.JAVA_LONG, 16),
                statfs.get(ValueLayout.JAVA_LONG, 24), statfs.get(ValueLayout.JAVA_LONG, 32),
                statfs.get(ValueLayout.JAVA_LONG, 40), statfs.get(ValueLayout.JAVA_LONG, 48),
                (int) statfs.get(ValueLayout.JAVA_LONG, 8), (int) statfs.get(ValueLayout.JAVA_LONG, 64),
                (int) statfs.get(ValueLayout.JAVA_LONG, 72));
    }

    public void write(WireWriter out) {
        out.u64(type).u64(blocks).u64(bfree).u64(bavail).u64(files).u64(ffree).u32(bsize).u32(namelen).u32(frsize);
    }

    public static StatFs read(WireReader in) throws WireException {
        return new StatFs(in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u64(), in.u32(), in.u32(), in.u32());
    }
}
