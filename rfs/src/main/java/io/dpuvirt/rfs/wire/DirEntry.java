package io.dpuvirt.rfs.wire;

/**
 * One directory entry: inode number, d_type (DT_REG…), name, and the entry's attributes when the server could
 * give them ({@code null} otherwise: for "." and "..", and where the whitelist does not allow a lookup).
 */
public record DirEntry(long ino, int type, String name, Attr attr) {
    public static final int DT_SOCK = 12;

    public void write(WireWriter out) {
        out.u64(ino).u32(type).string(name).u8(attr == null ? 0 : 1);
        if (attr != null) {
            attr.write(out);
        }
    }

    public static DirEntry read(WireReader in) throws WireException {
        long ino = in.u64();
        int type = in.u32();
        String name = in.string();
        return new DirEntry(ino, type, name, in.u8() == 0 ? null : Attr.read(in));
    }
}
