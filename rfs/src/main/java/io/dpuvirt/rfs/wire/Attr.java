package io.dpuvirt.rfs.wire;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/** A file's attributes as the HOST reports them (statx), carried as they are. */
public record Attr(long ino, long size, long blocks, long atime, int atimeNs, long mtime, int mtimeNs, long ctime,
                   int ctimeNs, int mode, int nlink, int uid, int gid, int rdevMajor, int rdevMinor, int blksize,
                   long dev) {
    public static final int S_IFMT = 0xf000, S_IFDIR = 0x4000, S_IFREG = 0x8000, S_IFLNK = 0xa000, S_IFSOCK = 0xc000,
            S_ISGID = 0x400;
    /** The statx(2) buffer size and the mask dpuvirt asks for (STATX_BASIC_STATS). */
    public static final int STATX_SIZE = 256, STATX_BASIC_STATS = 0x7ff;

    public boolean isDirectory() {
        return (mode & S_IFMT) == S_IFDIR;
    }

    public boolean isSymlink() {
        return (mode & S_IFMT) == S_IFLNK;
    }

    public static Attr ofStatx(MemorySegment statx) {
        return new Attr(
                statx.get(ValueLayout.JAVA_LONG, 32), statx.get(ValueLayout.JAVA_LONG, 40), statx.get(ValueLayout.JAVA_LONG, 48),
                statx.get(ValueLayout.JAVA_LONG, 64), statx.get(ValueLayout.JAVA_INT, 72),
                statx.get(ValueLayout.JAVA_LONG, 112), statx.get(ValueLayout.JAVA_INT, 120),
                statx.get(ValueLayout.JAVA_LONG, 96), statx.get(ValueLayout.JAVA_INT, 104),
                statx.get(ValueLayout.JAVA_SHORT, 28) & 0xffff, statx.get(ValueLayout.JAVA_INT, 16),
                statx.get(ValueLayout.JAVA_INT, 20), statx.get(ValueLayout.JAVA_INT, 24),
                statx.get(ValueLayout.JAVA_INT, 128), statx.get(ValueLayout.JAVA_INT, 132), statx.get(ValueLayout.JAVA_INT, 4),
                ((long) statx.get(ValueLayout.JAVA_INT, 136) << 32) | (statx.get(ValueLayout.JAVA_INT, 140) & 0xffffffffL));
    }

    public void write(WireWriter out) {
        out.u64(ino).u64(size).u64(blocks).u64(atime).u32(atimeNs).u64(mtime).u32(mtimeNs).u64(ctime).u32(ctimeNs)
                .u32(mode).u32(nlink).u32(uid).u32(gid).u32(rdevMajor).u32(rdevMinor).u32(blksize).u64(dev);
    }

    public static Attr read(WireReader in) throws WireException {
        return new Attr(in.u64(), in.u64(), in.u64(), in.u64(), in.u32(), in.u64(), in.u32(), in.u64(), in.u32(),
                in.u32(), in.u32(), in.u32(), in.u32(), in.u32(), in.u32(), in.u32(), in.u64());
    }
}
