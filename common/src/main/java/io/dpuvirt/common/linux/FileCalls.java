package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The file system calls of rfs (the remote file system): *at calls relative to directory descriptors, openat2 for
 * resolving beneath a directory, statx, extended attributes, locks, fallocate, getdents64, mount. A call class of
 * its own (see {@link Downcalls}): only processes that serve or mount rfs create these handles.
 */
public final class FileCalls {
    private FileCalls() {
    }

    /** openat2(2) has no glibc wrapper before 2.41; its number is the same on every architecture. */
    /** The *at calls' directory "the working directory", and their flags (the same on every architecture). */
    /** openat2's resolve flags: no symlink anywhere on the path (nor a /proc magic link); nothing outside the directory. */
    public static final long RESOLVE_NO_SYMLINKS = 0x04, RESOLVE_BENEATH = 0x08;
    /** st_mode's file type bits, and the type of a socket. */
    public static final int S_IFMT = 0170000, S_IFSOCK = 0140000;
    public static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200, AT_EMPTY_PATH = 0x1000;
    /** flock(2)'s operations. */
    public static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;
    private static final long SYS_OPENAT2 = 437;
    private static final MethodHandle SYSCALL4 = Downcalls.errnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle OPENAT = Downcalls.errnoCall("openat", 3, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle STATX = Downcalls.errnoCall("statx", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle FSTATFS = Downcalls.errnoCall("fstatfs", -1, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle MKDIRAT = Downcalls.errnoCall("mkdirat", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle MKNODAT = Downcalls.errnoCall("mknodat", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle UNLINKAT = Downcalls.errnoCall("unlinkat", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LINKAT = Downcalls.errnoCall("linkat", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SYMLINKAT = Downcalls.errnoCall("symlinkat", -1, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final MethodHandle READLINKAT = Downcalls.errnoCall("readlinkat", -1, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle FCHOWNAT = Downcalls.errnoCall("fchownat", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle UTIMENSAT = Downcalls.errnoCall("utimensat", -1, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CHMOD = Downcalls.errnoCall("chmod", -1, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle FTRUNCATE = Downcalls.errnoCall("ftruncate", -1, JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PREAD = Downcalls.errnoCall("pread64", -1, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PWRITE = Downcalls.errnoCall("pwrite64", -1, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle FSYNC = Downcalls.errnoCall("fsync", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = Downcalls.errnoCall("fdatasync", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle FALLOCATE = Downcalls.errnoCall("fallocate", -1, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle FLOCK = Downcalls.errnoCall("flock", -1, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL_POINTER = Downcalls.errnoCall("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GETDENTS64 = Downcalls.errnoCall("getdents64", -1, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle GETXATTR = Downcalls.errnoCall("getxattr", -1, JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle SETXATTR = Downcalls.errnoCall("setxattr", -1, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTXATTR = Downcalls.errnoCall("listxattr", -1, JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle REMOVEXATTR = Downcalls.errnoCall("removexattr", -1, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MOUNT = Downcalls.errnoCall("mount", -1, JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle UMOUNT2 = Downcalls.errnoCall("umount2", -1, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WRITEV = Downcalls.errnoCall("writev", -1, JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle UMASK = Downcalls.plainCall("umask", JAVA_INT, JAVA_INT);

    /** openat2(2) with {@code struct open_how {u64 flags, mode, resolve}}: the way to resolve beneath a directory. */
    public static int openat2(int dirfd, String path, long flags, long mode, long resolve) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            return (int) Downcalls.checked("openat2", path, c -> (long) SYSCALL4.invokeExact(c, SYS_OPENAT2, dirfd, cpath, how, 24L));
        }
    }

    /**
     * Opens a canonical path (one that was checked against a whitelist) with no symlink allowed anywhere on it: a
     * canonical path has none, so one swapped in since the check is refused (ELOOP) instead of followed.
     */
    public static int openWithoutSymlinks(String canonicalPath, int flags, int mode) throws LinuxException {
        return openat2(AT_FDCWD, canonicalPath, flags, mode, RESOLVE_NO_SYMLINKS);
    }

    public static int openat(int dirfd, String name, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            return (int) Downcalls.checked("openat", name, c -> (int) OPENAT.invokeExact(c, dirfd, cname, flags, mode));
        }
    }

    /** statx(2) into {@code buffer} (256 bytes): the layout is the same on every architecture, unlike struct stat. */
    public static void statx(int dirfd, String name, int flags, int mask, MemorySegment buffer) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("statx", name, c -> (int) STATX.invokeExact(c, dirfd, cname, flags, mask, buffer));
        }
    }

    /** fstatfs(2) into {@code buffer} (120 bytes, the 64-bit struct statfs). */
    public static void fstatfs(int fd, MemorySegment buffer) throws LinuxException {
        Downcalls.checked("fstatfs", null, c -> (int) FSTATFS.invokeExact(c, fd, buffer));
    }

    public static void mkdirat(int dirfd, String name, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("mkdirat", name, c -> (int) MKDIRAT.invokeExact(c, dirfd, cname, mode));
        }
    }

    public static void mknodat(int dirfd, String name, int mode, long device) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("mknodat", name, c -> (int) MKNODAT.invokeExact(c, dirfd, cname, mode, device));
        }
    }

    public static void unlinkat(int dirfd, String name, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("unlinkat", name, c -> (int) UNLINKAT.invokeExact(c, dirfd, cname, flags));
        }
    }

    public static void linkat(int fromDir, String from, int toDir, String to, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            Downcalls.checked("linkat", from + " -> " + to, c -> (int) LINKAT.invokeExact(c, fromDir, cfrom, toDir, cto, flags));
        }
    }

    public static void symlinkat(String target, int dirfd, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("symlinkat", name, c -> (int) SYMLINKAT.invokeExact(c, ctarget, dirfd, cname));
        }
    }

    /** readlinkat(2) into {@code buffer}; returns the number of bytes (not NUL-terminated). */
    public static long readlinkat(int dirfd, String name, MemorySegment buffer) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            return Downcalls.checked("readlinkat", name, c -> (long) READLINKAT.invokeExact(c, dirfd, cname, buffer, buffer.byteSize()));
        }
    }

    public static void fchownat(int dirfd, String name, int uid, int gid, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("fchownat", name, c -> (int) FCHOWNAT.invokeExact(c, dirfd, cname, uid, gid, flags));
        }
    }

    /** utimensat(2); {@code times} holds two struct timespec (atime, mtime), nanoseconds may be UTIME_NOW/UTIME_OMIT. */
    public static void utimensat(int dirfd, String name, MemorySegment times, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("utimensat", name, c -> (int) UTIMENSAT.invokeExact(c, dirfd, cname, times, flags));
        }
    }

    public static void chmod(String path, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            Downcalls.checked("chmod", path, c -> (int) CHMOD.invokeExact(c, cpath, mode));
        }
    }

    public static void ftruncate(int fd, long length) throws LinuxException {
        Downcalls.checked("ftruncate", null, c -> (int) FTRUNCATE.invokeExact(c, fd, length));
    }

    public static long pread(int fd, MemorySegment buffer, long length, long offset) throws LinuxException {
        return Downcalls.checked("pread", null, c -> (long) PREAD.invokeExact(c, fd, buffer, length, offset));
    }

    public static long pwrite(int fd, MemorySegment buffer, long length, long offset) throws LinuxException {
        return Downcalls.checked("pwrite", null, c -> (long) PWRITE.invokeExact(c, fd, buffer, length, offset));
    }

    public static void fsync(int fd, boolean dataOnly) throws LinuxException {
        if (dataOnly) {
            Downcalls.checked("fdatasync", null, c -> (int) FDATASYNC.invokeExact(c, fd));
        } else {
            Downcalls.checked("fsync", null, c -> (int) FSYNC.invokeExact(c, fd));
        }
    }

    public static void fallocate(int fd, int mode, long offset, long length) throws LinuxException {
        Downcalls.checked("fallocate", null, c -> (int) FALLOCATE.invokeExact(c, fd, mode, offset, length));
    }

    public static void flock(int fd, int operation) throws LinuxException {
        Downcalls.checked("flock", null, c -> (int) FLOCK.invokeExact(c, fd, operation));
    }

    /** fcntl(2) with a pointer argument (F_OFD_SETLK, F_OFD_GETLK with a struct flock). */
    public static int fcntl(int fd, int command, MemorySegment argument) throws LinuxException {
        return (int) Downcalls.checked("fcntl", null, c -> (int) FCNTL_POINTER.invokeExact(c, fd, command, argument));
    }

    public static long getdents64(int fd, MemorySegment buffer) throws LinuxException {
        return Downcalls.checked("getdents64", null, c -> (long) GETDENTS64.invokeExact(c, fd, buffer, buffer.byteSize()));
    }

    /**
     * getxattr(2); a zero-sized {@code value} asks for the size. rfs calls the xattr functions on
     * {@code /proc/self/fd/N} of an O_PATH descriptor, which reaches the node itself even when it is a symlink.
     */
    public static long getxattr(String path, String name, MemorySegment value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            return Downcalls.checked("getxattr", name, c -> (long) GETXATTR.invokeExact(c, cpath, cname, value, value.byteSize()));
        }
    }

    public static void setxattr(String path, String name, MemorySegment value, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("setxattr", name, c -> (int) SETXATTR.invokeExact(c, cpath, cname, value, value.byteSize(), flags));
        }
    }

    public static long listxattr(String path, MemorySegment list) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            return Downcalls.checked("listxattr", null, c -> (long) LISTXATTR.invokeExact(c, cpath, list, list.byteSize()));
        }
    }

    public static void removexattr(String path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            Downcalls.checked("removexattr", name, c -> (int) REMOVEXATTR.invokeExact(c, cpath, cname));
        }
    }

    public static void mount(String source, String target, String type, long flags, String data) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment csource = arena.allocateFrom(source);
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment ctype = arena.allocateFrom(type);
            MemorySegment cdata = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            Downcalls.checked("mount", target, c -> (int) MOUNT.invokeExact(c, csource, ctarget, ctype, flags, cdata));
        }
    }

    public static void umount2(String target, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            Downcalls.checked("umount2", target, c -> (int) UMOUNT2.invokeExact(c, ctarget, flags));
        }
    }

    /** umask(2), which cannot fail; returns the previous mask. */
    public static int umask(int mask) {
        try {
            return (int) UMASK.invokeExact(mask);
        } catch (Throwable t) {
            throw new AssertionError("downcall umask threw", t);
        }
    }

    /**
     * writev(2) of two buffers in one call (a header and a payload that live apart): one message for a device
     * that takes one per write, such as /dev/fuse, without copying the payload behind the header first.
     */
    public static long writev(int fd, MemorySegment head, long headLength, MemorySegment tail, long tailLength) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iov = arena.allocate(32, 8);
            iov.set(ADDRESS, 0, head);
            iov.set(JAVA_LONG, 8, headLength);
            iov.set(ADDRESS, 16, tail);
            iov.set(JAVA_LONG, 24, tailLength);
            return Downcalls.checked("writev", null, c -> (long) WRITEV.invokeExact(c, fd, iov, 2));
        }
    }
}
