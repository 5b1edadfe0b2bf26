package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The glibc calls dpuvirt makes through the FFM API. Each wrapper retries on EINTR and turns -1 into a
 * {@link LinuxException} that names the call and its subject. Blocking calls (read, accept, recvmsg, poll)
 * block the calling platform thread, which is how the relays here are built: never call them on a virtual thread.
 */
public final class Libc {
    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CAPTURE_LAYOUT.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final MethodHandle SOCKET = errnoCall("socket", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle BIND = errnoCall("bind", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LISTEN = errnoCall("listen", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle ACCEPT4 = errnoCall("accept4", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CONNECT = errnoCall("connect", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle READ = errnoCall("read", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle WRITE = errnoCall("write", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle SEND = errnoCall("send", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle RECVMSG = errnoCall("recvmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SENDMSG = errnoCall("sendmsg", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SHUTDOWN = errnoCall("shutdown", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle CLOSE = errnoCall("close", JAVA_INT, JAVA_INT);
    private static final MethodHandle SETSOCKOPT = errnoCall("setsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle GETSOCKOPT = errnoCall("getsockopt", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETSOCKNAME = errnoCall("getsockname", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle GETPEERNAME = errnoCall("getpeername", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle POLL = errnoCall("poll", JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle OPEN = errnoCall("open", 2, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL = errnoCall("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle LSEEK = errnoCall("lseek", JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT);
    private static final MethodHandle CHOWN = errnoCall("lchown", JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(
            LINKER.defaultLookup().find("strerror").orElseThrow(), FunctionDescriptor.of(ADDRESS, JAVA_INT));

    private Libc() {
    }

    /** A call that may fail: its first parameter is the errno capture segment. */
    @FunctionalInterface
    private interface Call {
        long invoke(MemorySegment errnoCapture) throws Throwable;
    }

    private static MethodHandle errnoCall(String name, MemoryLayout result, MemoryLayout... args) {
        return errnoCall(name, -1, result, args);
    }

    private static MethodHandle errnoCall(String name, int firstVariadic, MemoryLayout result, MemoryLayout... args) {
        MemorySegment symbol = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsatisfiedLinkError("libc has no " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        Linker.Option[] options = firstVariadic < 0
                ? new Linker.Option[] {capture}
                : new Linker.Option[] {capture, Linker.Option.firstVariadicArg(firstVariadic)};
        return LINKER.downcallHandle(symbol, FunctionDescriptor.of(result, args), options);
    }

    /** Runs {@code call}, retrying on EINTR; a negative result becomes a LinuxException naming call and subject. */
    private static long checked(String name, Object subject, Call call) throws LinuxException {
        MemorySegment capture = CAPTURE.get();
        for (;;) {
            long result;
            try {
                result = call.invoke(capture);
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new AssertionError("downcall " + name + " threw", t);
            }
            if (result >= 0) {
                return result;
            }
            int errno = (int) ERRNO.get(capture, 0L);
            if (errno != Errno.EINTR) {
                throw new LinuxException(name, subject == null ? null : subject.toString(), errno);
            }
        }
    }

    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    public static int socket(int domain, int type, int protocol) throws LinuxException {
        return (int) checked("socket", null, c -> (int) SOCKET.invokeExact(c, domain, type, protocol));
    }

    public static void bind(int fd, MemorySegment address, Object subject) throws LinuxException {
        checked("bind", subject, c -> (int) BIND.invokeExact(c, fd, address, (int) address.byteSize()));
    }

    public static void listen(int fd, int backlog, Object subject) throws LinuxException {
        checked("listen", subject, c -> (int) LISTEN.invokeExact(c, fd, backlog));
    }

    /** accept4 with the peer address discarded. */
    public static int accept(int fd, int flags, Object subject) throws LinuxException {
        return (int) checked("accept", subject,
                c -> (int) ACCEPT4.invokeExact(c, fd, MemorySegment.NULL, MemorySegment.NULL, flags));
    }

    public static void connect(int fd, MemorySegment address, Object subject) throws LinuxException {
        checked("connect", subject, c -> (int) CONNECT.invokeExact(c, fd, address, (int) address.byteSize()));
    }

    public static long read(int fd, MemorySegment buffer, long length) throws LinuxException {
        return checked("read", null, c -> (long) READ.invokeExact(c, fd, buffer, length));
    }

    public static long write(int fd, MemorySegment buffer, long length) throws LinuxException {
        return checked("write", null, c -> (long) WRITE.invokeExact(c, fd, buffer, length));
    }

    /** send(2); dpuvirt passes MSG_NOSIGNAL so that a vanished peer is EPIPE, never SIGPIPE. */
    public static long send(int fd, MemorySegment buffer, long length, int flags) throws LinuxException {
        return checked("send", null, c -> (long) SEND.invokeExact(c, fd, buffer, length, flags));
    }

    public static long recvmsg(int fd, MemorySegment msghdr, int flags) throws LinuxException {
        return checked("recvmsg", null, c -> (long) RECVMSG.invokeExact(c, fd, msghdr, flags));
    }

    public static long sendmsg(int fd, MemorySegment msghdr, int flags) throws LinuxException {
        return checked("sendmsg", null, c -> (long) SENDMSG.invokeExact(c, fd, msghdr, flags));
    }

    public static void shutdown(int fd, int how) throws LinuxException {
        checked("shutdown", null, c -> (int) SHUTDOWN.invokeExact(c, fd, how));
    }

    /** close(2) is not retried on EINTR: on Linux the descriptor is released whatever it returns. */
    public static void close(int fd) {
        try {
            int ignored = (int) CLOSE.invokeExact(CAPTURE.get(), fd);
        } catch (Throwable t) {
            throw new AssertionError("downcall close threw", t);
        }
    }

    public static void setsockopt(int fd, int level, int name, MemorySegment value) throws LinuxException {
        checked("setsockopt", null, c -> (int) SETSOCKOPT.invokeExact(c, fd, level, name, value, (int) value.byteSize()));
    }

    /** getsockopt into {@code value}; returns the length the kernel wrote. */
    public static int getsockopt(int fd, int level, int name, MemorySegment value, Arena arena) throws LinuxException {
        MemorySegment length = arena.allocateFrom(JAVA_INT, (int) value.byteSize());
        checked("getsockopt", null, c -> (int) GETSOCKOPT.invokeExact(c, fd, level, name, value, length));
        return length.get(JAVA_INT, 0);
    }

    public static int getsockname(int fd, MemorySegment address, Arena arena) throws LinuxException {
        MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
        checked("getsockname", null, c -> (int) GETSOCKNAME.invokeExact(c, fd, address, length));
        return length.get(JAVA_INT, 0);
    }

    public static int getpeername(int fd, MemorySegment address, Arena arena) throws LinuxException {
        MemorySegment length = arena.allocateFrom(JAVA_INT, (int) address.byteSize());
        checked("getpeername", null, c -> (int) GETPEERNAME.invokeExact(c, fd, address, length));
        return length.get(JAVA_INT, 0);
    }

    public static int poll(MemorySegment pollfds, long count, int timeoutMillis) throws LinuxException {
        return (int) checked("poll", null, c -> (int) POLL.invokeExact(c, pollfds, count, timeoutMillis));
    }

    public static int open(String path, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            return (int) checked("open", path, c -> (int) OPEN.invokeExact(c, cpath, flags, mode));
        }
    }

    public static int fcntl(int fd, int command, int argument) throws LinuxException {
        return (int) checked("fcntl", null, c -> (int) FCNTL.invokeExact(c, fd, command, argument));
    }

    public static long lseek(int fd, long offset, int whence) throws LinuxException {
        return checked("lseek", null, c -> (long) LSEEK.invokeExact(c, fd, offset, whence));
    }

    /** lchown(2): owner by number, without following a final symlink. */
    public static void lchown(String path, int uid, int gid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            checked("lchown", path, c -> (int) CHOWN.invokeExact(c, cpath, uid, gid));
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // File system calls for rfs (the remote file system): *at calls relative to directory descriptors, extended
    // attributes, locks, fallocate, mount. Kept in one block so that merges with other additions stay easy.
    // ---------------------------------------------------------------------------------------------------------

    /** openat2(2) has no glibc wrapper before 2.41; its number is the same on every architecture. */
    private static final long SYS_OPENAT2 = 437;
    private static final MethodHandle SYSCALL4 = errnoCall("syscall", 1, JAVA_LONG, JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle OPENAT = errnoCall("openat", 3, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT);
    private static final MethodHandle STATX = errnoCall("statx", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle FSTATFS = errnoCall("fstatfs", JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle MKDIRAT = errnoCall("mkdirat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle MKNODAT = errnoCall("mknodat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG);
    private static final MethodHandle UNLINKAT = errnoCall("unlinkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RENAMEAT2 = errnoCall("renameat2", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle LINKAT = errnoCall("linkat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SYMLINKAT = errnoCall("symlinkat", JAVA_INT, ADDRESS, JAVA_INT, ADDRESS);
    private static final MethodHandle READLINKAT = errnoCall("readlinkat", JAVA_LONG, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle FCHOWNAT = errnoCall("fchownat", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle UTIMENSAT = errnoCall("utimensat", JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_INT);
    private static final MethodHandle CHMOD = errnoCall("chmod", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle FTRUNCATE = errnoCall("ftruncate", JAVA_INT, JAVA_INT, JAVA_LONG);
    private static final MethodHandle PREAD = errnoCall("pread64", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle PWRITE = errnoCall("pwrite64", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle FSYNC = errnoCall("fsync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FDATASYNC = errnoCall("fdatasync", JAVA_INT, JAVA_INT);
    private static final MethodHandle FALLOCATE = errnoCall("fallocate", JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG);
    private static final MethodHandle FLOCK = errnoCall("flock", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle FCNTL_POINTER = errnoCall("fcntl", 2, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle GETDENTS64 = errnoCall("getdents64", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle GETXATTR = errnoCall("getxattr", JAVA_LONG, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle SETXATTR = errnoCall("setxattr", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT);
    private static final MethodHandle LISTXATTR = errnoCall("listxattr", JAVA_LONG, ADDRESS, ADDRESS, JAVA_LONG);
    private static final MethodHandle REMOVEXATTR = errnoCall("removexattr", JAVA_INT, ADDRESS, ADDRESS);
    private static final MethodHandle MOUNT = errnoCall("mount", JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS);
    private static final MethodHandle UMOUNT2 = errnoCall("umount2", JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WRITEV = errnoCall("writev", JAVA_LONG, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle UMASK = LINKER.downcallHandle(
            LINKER.defaultLookup().find("umask").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    /** openat2(2) with {@code struct open_how {u64 flags, mode, resolve}}: the way to resolve beneath a directory. */
    public static int openat2(int dirfd, String path, long flags, long mode, long resolve) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment how = arena.allocate(24, 8);
            how.set(JAVA_LONG, 0, flags);
            how.set(JAVA_LONG, 8, mode);
            how.set(JAVA_LONG, 16, resolve);
            return (int) checked("openat2", path, c -> (long) SYSCALL4.invokeExact(c, SYS_OPENAT2, dirfd, cpath, how, 24L));
        }
    }

    public static int openat(int dirfd, String name, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            return (int) checked("openat", name, c -> (int) OPENAT.invokeExact(c, dirfd, cname, flags, mode));
        }
    }

    /** statx(2) into {@code buffer} (256 bytes): the layout is the same on every architecture, unlike struct stat. */
    public static void statx(int dirfd, String name, int flags, int mask, MemorySegment buffer) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("statx", name, c -> (int) STATX.invokeExact(c, dirfd, cname, flags, mask, buffer));
        }
    }

    /** fstatfs(2) into {@code buffer} (120 bytes, the 64-bit struct statfs). */
    public static void fstatfs(int fd, MemorySegment buffer) throws LinuxException {
        checked("fstatfs", null, c -> (int) FSTATFS.invokeExact(c, fd, buffer));
    }

    public static void mkdirat(int dirfd, String name, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("mkdirat", name, c -> (int) MKDIRAT.invokeExact(c, dirfd, cname, mode));
        }
    }

    public static void mknodat(int dirfd, String name, int mode, long device) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("mknodat", name, c -> (int) MKNODAT.invokeExact(c, dirfd, cname, mode, device));
        }
    }

    public static void unlinkat(int dirfd, String name, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("unlinkat", name, c -> (int) UNLINKAT.invokeExact(c, dirfd, cname, flags));
        }
    }

    public static void renameat2(int fromDir, String from, int toDir, String to, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            checked("renameat2", from + " -> " + to, c -> (int) RENAMEAT2.invokeExact(c, fromDir, cfrom, toDir, cto, flags));
        }
    }

    public static void linkat(int fromDir, String from, int toDir, String to, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cfrom = arena.allocateFrom(from);
            MemorySegment cto = arena.allocateFrom(to);
            checked("linkat", from + " -> " + to, c -> (int) LINKAT.invokeExact(c, fromDir, cfrom, toDir, cto, flags));
        }
    }

    public static void symlinkat(String target, int dirfd, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment cname = arena.allocateFrom(name);
            checked("symlinkat", name, c -> (int) SYMLINKAT.invokeExact(c, ctarget, dirfd, cname));
        }
    }

    /** readlinkat(2) into {@code buffer}; returns the number of bytes (not NUL-terminated). */
    public static long readlinkat(int dirfd, String name, MemorySegment buffer) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            return checked("readlinkat", name, c -> (long) READLINKAT.invokeExact(c, dirfd, cname, buffer, buffer.byteSize()));
        }
    }

    public static void fchownat(int dirfd, String name, int uid, int gid, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("fchownat", name, c -> (int) FCHOWNAT.invokeExact(c, dirfd, cname, uid, gid, flags));
        }
    }

    /** utimensat(2); {@code times} holds two struct timespec (atime, mtime), nanoseconds may be UTIME_NOW/UTIME_OMIT. */
    public static void utimensat(int dirfd, String name, MemorySegment times, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cname = arena.allocateFrom(name);
            checked("utimensat", name, c -> (int) UTIMENSAT.invokeExact(c, dirfd, cname, times, flags));
        }
    }

    public static void chmod(String path, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            checked("chmod", path, c -> (int) CHMOD.invokeExact(c, cpath, mode));
        }
    }

    public static void ftruncate(int fd, long length) throws LinuxException {
        checked("ftruncate", null, c -> (int) FTRUNCATE.invokeExact(c, fd, length));
    }

    public static long pread(int fd, MemorySegment buffer, long length, long offset) throws LinuxException {
        return checked("pread", null, c -> (long) PREAD.invokeExact(c, fd, buffer, length, offset));
    }

    public static long pwrite(int fd, MemorySegment buffer, long length, long offset) throws LinuxException {
        return checked("pwrite", null, c -> (long) PWRITE.invokeExact(c, fd, buffer, length, offset));
    }

    public static void fsync(int fd, boolean dataOnly) throws LinuxException {
        if (dataOnly) {
            checked("fdatasync", null, c -> (int) FDATASYNC.invokeExact(c, fd));
        } else {
            checked("fsync", null, c -> (int) FSYNC.invokeExact(c, fd));
        }
    }

    public static void fallocate(int fd, int mode, long offset, long length) throws LinuxException {
        checked("fallocate", null, c -> (int) FALLOCATE.invokeExact(c, fd, mode, offset, length));
    }

    public static void flock(int fd, int operation) throws LinuxException {
        checked("flock", null, c -> (int) FLOCK.invokeExact(c, fd, operation));
    }

    /** fcntl(2) with a pointer argument (F_OFD_SETLK, F_OFD_GETLK with a struct flock). */
    public static int fcntl(int fd, int command, MemorySegment argument) throws LinuxException {
        return (int) checked("fcntl", null, c -> (int) FCNTL_POINTER.invokeExact(c, fd, command, argument));
    }

    public static long getdents64(int fd, MemorySegment buffer) throws LinuxException {
        return checked("getdents64", null, c -> (long) GETDENTS64.invokeExact(c, fd, buffer, buffer.byteSize()));
    }

    /**
     * getxattr(2); a zero-sized {@code value} asks for the size. rfs calls the xattr functions on
     * {@code /proc/self/fd/N} of an O_PATH descriptor, which reaches the node itself even when it is a symlink.
     */
    public static long getxattr(String path, String name, MemorySegment value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            return checked("getxattr", name, c -> (long) GETXATTR.invokeExact(c, cpath, cname, value, value.byteSize()));
        }
    }

    public static void setxattr(String path, String name, MemorySegment value, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            checked("setxattr", name, c -> (int) SETXATTR.invokeExact(c, cpath, cname, value, value.byteSize(), flags));
        }
    }

    public static long listxattr(String path, MemorySegment list) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            return checked("listxattr", null, c -> (long) LISTXATTR.invokeExact(c, cpath, list, list.byteSize()));
        }
    }

    public static void removexattr(String path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            MemorySegment cname = arena.allocateFrom(name);
            checked("removexattr", name, c -> (int) REMOVEXATTR.invokeExact(c, cpath, cname));
        }
    }

    public static void mount(String source, String target, String type, long flags, String data) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment csource = arena.allocateFrom(source);
            MemorySegment ctarget = arena.allocateFrom(target);
            MemorySegment ctype = arena.allocateFrom(type);
            MemorySegment cdata = data == null ? MemorySegment.NULL : arena.allocateFrom(data);
            checked("mount", target, c -> (int) MOUNT.invokeExact(c, csource, ctarget, ctype, flags, cdata));
        }
    }

    public static void umount2(String target, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ctarget = arena.allocateFrom(target);
            checked("umount2", target, c -> (int) UMOUNT2.invokeExact(c, ctarget, flags));
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
            return checked("writev", null, c -> (long) WRITEV.invokeExact(c, fd, iov, 2));
        }
    }
}
