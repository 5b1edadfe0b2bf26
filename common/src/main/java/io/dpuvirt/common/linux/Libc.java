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
    // ---- processes and CPU affinity (virtd's host interface) ----
    private static final MethodHandle KILL = errnoCall("kill", JAVA_INT, JAVA_INT, JAVA_INT);
    private static final MethodHandle WAITID = errnoCall("waitid", JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle WAITPID = errnoCall("waitpid", JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle SCHED_SETAFFINITY = errnoCall("sched_setaffinity", JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);
    private static final int P_PID = 1;
    private static final int WEXITED = 4;
    private static final int WNOWAIT = 0x0100_0000;
    /** sizeof(siginfo_t) on Linux. */
    private static final long SIGINFO_SIZE = 128;
    // ---- end of processes and CPU affinity ----
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

    // ---- processes and CPU affinity (virtd's host interface) ----

    /** kill(2): sends {@code signal} to process {@code pid}. */
    public static void kill(int pid, int signal) throws LinuxException {
        checked("kill", "pid " + pid + ", signal " + signal, c -> (int) KILL.invokeExact(c, pid, signal));
    }

    /**
     * Blocks until child {@code pid} has exited, without reaping it (waitid with WNOWAIT): until
     * {@link #reap} the pid stays a zombie and cannot be reused, so a signal sent meanwhile cannot reach
     * another process.
     */
    public static void awaitExit(int pid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment info = arena.allocate(SIGINFO_SIZE);
            checked("waitid", "pid " + pid, c -> (int) WAITID.invokeExact(c, P_PID, pid, info, WEXITED | WNOWAIT));
        }
    }

    /** waitpid(2) for an exited child: reaps it and returns its raw wait status. */
    public static WaitStatus reap(int pid) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment status = arena.allocate(JAVA_INT);
            checked("waitpid", "pid " + pid, c -> (int) WAITPID.invokeExact(c, pid, status, 0));
            return new WaitStatus(status.get(JAVA_INT, 0));
        }
    }

    /** sched_setaffinity(2) of thread (or process) {@code tid}: the CPUs set in {@code cpus}. */
    public static void schedSetaffinity(int tid, java.util.BitSet cpus) throws LinuxException {
        long[] words = cpus.toLongArray();
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment mask = arena.allocate(JAVA_LONG, Math.max(1, words.length));
            for (int i = 0; i < words.length; i++) {
                mask.setAtIndex(JAVA_LONG, i, words[i]);
            }
            checked("sched_setaffinity", "thread " + tid + ", cpus " + cpus,
                    c -> (int) SCHED_SETAFFINITY.invokeExact(c, tid, mask.byteSize(), mask));
        }
    }
    // ---- end of processes and CPU affinity ----
}
