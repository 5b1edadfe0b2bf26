package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * The glibc calls dpuvirt makes through the FFM API. Each wrapper retries on EINTR and turns -1 into a
 * {@link LinuxException} that names the call and its subject. Blocking calls (read, accept, recvmsg, poll)
 * block the calling platform thread, which is how the relays here are built: never call them on a virtual thread.
 */
public final class Libc {
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

    private Libc() {
    }

    private static MethodHandle errnoCall(String name, MemoryLayout result, MemoryLayout... args) {
        return Downcalls.errnoCall(name, -1, result, args);
    }

    private static MethodHandle errnoCall(String name, int firstVariadic, MemoryLayout result, MemoryLayout... args) {
        return Downcalls.errnoCall(name, firstVariadic, result, args);
    }

    private static long checked(String name, Object subject, Downcalls.Call call) throws LinuxException {
        return Downcalls.checked(name, subject, call);
    }

    public static String strerror(int errno) {
        return Downcalls.strerror(errno);
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
            int ignored = (int) CLOSE.invokeExact(Downcalls.capture(), fd);
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

    /** poll(2) on one descriptor: the events it reports ({@code revents}), 0 after {@code timeoutMillis}. */
    public static int pollOne(int fd, int events, int timeoutMillis) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4);
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(JAVA_SHORT, 4, (short) events);
            return poll(pollfd, 1, timeoutMillis) == 0 ? 0 : pollfd.get(JAVA_SHORT, 6) & 0xffff;
        }
    }

    public static int open(String path, int flags, int mode) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocateFrom(path);
            return (int) checked("open", path, c -> (int) OPEN.invokeExact(c, cpath, flags, mode));
        }
    }

    /** fcntl(2)'s commands for the file status flags. */
    public static final int F_GETFL = 3, F_SETFL = 4;

    /** Sets or clears O_NONBLOCK on {@code fd}, leaving its other status flags as they are. */
    public static void setNonBlocking(int fd, boolean nonBlocking) throws LinuxException {
        int flags = fcntl(fd, F_GETFL, 0);
        fcntl(fd, F_SETFL, nonBlocking ? flags | OpenFlags.O_NONBLOCK : flags & ~OpenFlags.O_NONBLOCK);
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

    // canonical program paths and stdio pipes (byte strings, as paths need not be UTF-8)

    /** PATH_MAX, the buffer realpath(3) writes into. */
    private static final int PATH_MAX = 4096;
    private static final MethodHandle REALPATH = errnoCall("realpath", ADDRESS, ADDRESS, ADDRESS);
    private static final MethodHandle PIPE2 = errnoCall("pipe2", JAVA_INT, ADDRESS, JAVA_INT);

    /** realpath(3) on raw path bytes: every symlink, {@code .} and {@code ..} resolved; the file must exist. */
    public static byte[] realpath(byte[] path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment cpath = arena.allocate(path.length + 1L);
            MemorySegment.copy(path, 0, cpath, JAVA_BYTE, 0, path.length);
            MemorySegment resolved = arena.allocate(PATH_MAX);
            String subject = new String(path, java.nio.charset.StandardCharsets.UTF_8);
            checked("realpath", subject, c -> ((MemorySegment) REALPATH.invokeExact(c, cpath, resolved)).address() == 0 ? -1 : 0);
            // ISO-8859-1 maps every byte to one char and back: the bytes come out exactly as the kernel gave them
            return resolved.getString(0, java.nio.charset.StandardCharsets.ISO_8859_1).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
    }

    /** pipe2(2): {@code [read end, write end]}. */
    public static int[] pipe2(int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            checked("pipe2", null, c -> (int) PIPE2.invokeExact(c, fds, flags));
            return new int[] {fds.getAtIndex(JAVA_INT, 0), fds.getAtIndex(JAVA_INT, 1)};
        }
    }
}
