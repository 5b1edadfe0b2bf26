package io.dpuvirt.rfs.wire;

/**
 * The operations a client asks of the server. Paths are relative to the export root ({@code ""} is the root) and
 * never contain {@code .} or {@code ..} components; the server resolves them beneath the root without following
 * any symlink (the DPU's kernel follows symlinks itself, component by component). "Directory" in a reply is the
 * changed directory's attributes after the change: u8 1 and an Attr, or u8 0 where the whitelist hides them.
 */
public enum Op {
    /** path → Attr. */
    LOOKUP,
    /** path, u64 fh (or -1) → Attr. */
    GETATTR,
    /** path, u64 fh, u32 valid, u32 mode, u32 uid, u32 gid, u64 size, u64 atime, u32 ansec, u64 mtime, u32 mnsec → Attr. */
    SETATTR,
    /** path → string target. */
    READLINK,
    /** path, u32 mode, u32 rdev → Attr, Directory. */
    MKNOD,
    /** path, u32 mode → Attr, Directory. */
    MKDIR,
    /** path, string target → Attr, Directory. */
    SYMLINK,
    /** path → Directory. */
    UNLINK,
    /** path → Directory. */
    RMDIR,
    /** path, path to, u32 flags (RENAME_NOREPLACE, RENAME_EXCHANGE) → Directory (from), Directory (to). */
    RENAME,
    /** path (existing), path to → Attr, Directory (to). */
    LINK,
    /** path, u32 flags (x86-64 values, see OpenFlags) → u64 fh, u32 open flags (OPEN_DIRECT), Attr. */
    OPEN,
    /** path, u32 flags (as OPEN), u32 mode → u64 fh, u32 open flags (OPEN_DIRECT, OPEN_CREATED), Attr, Directory. */
    CREATE,
    /** u64 fh, u64 offset, u32 size → blob. */
    READ,
    /** u64 fh, u64 offset, blob → u32 written, Attr after the write. */
    WRITE,
    /** u64 fh. */
    RELEASE,
    /** u64 fh, u64 lock owner: drops the owner's POSIX locks (close(2) semantics). */
    FLUSH,
    /** u64 fh, u32 datasync. */
    FSYNC,
    /** path, u64 cookie → (u8 1, DirEntry)…, u8 0, u64 next cookie, u8 end. */
    LISTDIR,
    /** path → StatFs. */
    STATFS,
    /** path, string name, u32 size → u32 size (size 0 asked) or blob. */
    GETXATTR,
    /** path, u32 size → u32 size or blob (NUL-separated names). */
    LISTXATTR,
    /** path, string name, blob value, u32 flags. */
    SETXATTR,
    /** path, string name. */
    REMOVEXATTR,
    /** u64 fh, u64 owner, u64 start, u64 end, u32 type → u64 start, u64 end, u32 type, u32 pid. */
    GETLK,
    /** u64 fh, u64 owner, u64 start, u64 end, u32 type, u32 flock: never blocks (the client retries for SETLKW). */
    SETLK,
    /** u64 fh, u32 mode, u64 offset, u64 length. */
    FALLOCATE,
    /** u64 fh, u64 offset, u32 whence → u64 offset (SEEK_DATA, SEEK_HOLE). */
    LSEEK,
    /**
     * path (a directory), u32 n (at most {@link #MAX_LOOKUPS}), n × string name → n × (u32 errno, Attr if 0): the
     * lookups of several names in one directory, for READDIRPLUS and the client's look-ahead.
     */
    LOOKUPS;

    /** The most names one LOOKUPS may ask for. */
    public static final int MAX_LOOKUPS = 256;
    /** The most bytes one READ or WRITE carries: a whole request then fits one link frame (1 MiB at most). */
    public static final int MAX_IO = 512 * 1024;

    private static final Op[] VALUES = values();

    public static Op ofCode(int code) throws WireException {
        if (code < 0 || code >= VALUES.length) {
            throw new WireException("unknown operation " + code);
        }
        return VALUES[code];
    }

    public int code() {
        return ordinal();
    }

    /** OPEN/CREATE reply flag: the file is on a pseudo file system (proc, sysfs…) whose sizes say nothing: no page cache. */
    public static final int OPEN_DIRECT = 1;
    /** CREATE reply flag: the file is new (not one the HOST made meanwhile): it has no extended attributes yet. */
    public static final int OPEN_CREATED = 2;
}
