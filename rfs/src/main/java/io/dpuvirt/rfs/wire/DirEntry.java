package io.dpuvirt.rfs.wire;

/**
 * One directory entry: inode number, d_type (DT_REG…) and name. A listing carries no attributes: those that a
 * READDIRPLUS or the lookups after a listing need are asked for by name ({@link Op#LOOKUPS}), only for the entries
 * that are used.
 */
public record DirEntry(long ino, int type, String name) {
    public static final int DT_SOCK = 12;

    public void write(WireWriter out) {
        out.u64(ino).u32(type).string(name);
    }

    public static DirEntry read(WireReader in) throws WireException {
        return new DirEntry(in.u64(), in.u32(), in.string());
    }
}
