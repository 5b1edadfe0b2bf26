package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.io.EOFException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A socket file descriptor driven through libc: unix (stream and seqpacket), TCP and vsock alike.
 *
 * <p>I/O blocks the calling platform thread. {@link #abort()} (shutdown both ways) may be called from any
 * thread and wakes threads blocked in read, accept or write; {@link #close()} releases the descriptor and
 * must only be called once no other thread uses it, because Linux reuses descriptor numbers at once.
 */
public final class NativeSocket implements java.io.Closeable {
    static final int SOCK_NONBLOCK = 0x800, SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1, SO_REUSEADDR = 2, SO_TYPE = 3, SO_ERROR = 4, SO_SNDBUF = 7, SO_RCVBUF = 8,
            SO_KEEPALIVE = 9, SO_PEERCRED = 17, SO_RCVTIMEO = 20;
    static final int IPPROTO_TCP = 6, TCP_NODELAY = 1, TCP_KEEPIDLE = 4, TCP_KEEPINTVL = 5, TCP_KEEPCNT = 6,
            TCP_USER_TIMEOUT = 18;
    static final int MSG_NOSIGNAL = 0x4000, MSG_DONTWAIT = 0x40;
    static final int SHUT_WR = 1, SHUT_RDWR = 2;
    static final int POLLIN = 0x1, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLRDHUP = 0x2000;
    private static final ValueLayout.OfShort BIG_ENDIAN_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(java.nio.ByteOrder.BIG_ENDIAN);

    private final int fd;
    private final SocketType type;
    private final String label;
    private final AtomicBoolean closed = new AtomicBoolean();
    /**
     * Held by {@link #abort()} from its check to its shutdown, and by {@link #close()}: without it, a close on another
     * thread between the two would let the shutdown hit whatever socket got the descriptor number next (a new
     * client's connection, seen ending before its first answer, as RexecServerTest's hundred sessions once did).
     */
    private final Object descriptor = new Object();

    private NativeSocket(int fd, SocketType type, String label) {
        this.fd = fd;
        this.type = type;
        this.label = label;
    }

    /** Wraps a descriptor this process already owns (e.g. one received with SCM_RIGHTS). */
    public static NativeSocket adopt(int fd, SocketType type, String label) {
        return new NativeSocket(fd, type, label);
    }

    /**
     * A listening socket at {@code address}. TCP listeners set SO_REUSEADDR so that a restarted daemon can
     * bind its port at once, even with connections of its previous life in TIME_WAIT.
     */
    public static NativeSocket listen(SockAddr address, SocketType type, int backlog) throws LinuxException {
        int fd = Libc.socket(address.family(), type.code() | SOCK_CLOEXEC, 0);
        NativeSocket socket = new NativeSocket(fd, type, "listener " + address);
        try (Arena arena = Arena.ofConfined()) {
            if (address.family() == SockAddr.AF_INET) {
                socket.setIntOption(SOL_SOCKET, SO_REUSEADDR, 1);
            }
            Libc.bind(fd, address.encode(arena), address);
            Libc.listen(fd, backlog, address);
            return socket;
        } catch (LinuxException e) {
            socket.close();
            throw e;
        }
    }

    /** A blocking connect: fine for unix sockets, which never wait on a network. */
    public static NativeSocket connect(SockAddr address, SocketType type) throws LinuxException {
        int fd = Libc.socket(address.family(), type.code() | SOCK_CLOEXEC, 0);
        NativeSocket socket = new NativeSocket(fd, type, address.toString());
        try (Arena arena = Arena.ofConfined()) {
            Libc.connect(fd, address.encode(arena), address);
            return socket;
        } catch (LinuxException e) {
            socket.close();
            throw e;
        }
    }

    /** A connect that gives up after {@code timeout} (ETIMEDOUT), as a network peer may never answer. */
    public static NativeSocket connect(SockAddr address, SocketType type, Duration timeout) throws LinuxException {
        int fd = Libc.socket(address.family(), type.code() | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
        NativeSocket socket = new NativeSocket(fd, type, address.toString());
        try (Arena arena = Arena.ofConfined()) {
            try {
                Libc.connect(fd, address.encode(arena), address);
            } catch (LinuxException e) {
                if (!e.is(Errno.EINPROGRESS)) {
                    throw e;
                }
                if ((socket.poll(POLLOUT, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())) & (POLLOUT | POLLERR | POLLHUP)) == 0) {
                    throw new LinuxException("connect", address.toString(), Errno.ETIMEDOUT);
                }
                int error = socket.intOption(SOL_SOCKET, SO_ERROR);
                if (error != 0) {
                    throw new LinuxException("connect", address.toString(), error);
                }
            }
            Libc.setNonBlocking(fd, false);
            return socket;
        } catch (LinuxException e) {
            socket.close();
            throw e;
        }
    }

    public NativeSocket accept() throws LinuxException {
        return new NativeSocket(Libc.accept(fd, SOCK_CLOEXEC, label), type, label + " client");
    }

    public int fd() {
        return fd;
    }

    public SocketType type() {
        return type;
    }

    public String label() {
        return label;
    }

    /** Reads at most {@code length} bytes; 0 means end of stream. */
    public long read(MemorySegment buffer, long length) throws LinuxException {
        return Libc.read(fd, buffer, length);
    }

    public void readFully(MemorySegment buffer, long length) throws LinuxException, EOFException {
        long done = 0;
        while (done < length) {
            long n = Libc.read(fd, buffer.asSlice(done), length - done);
            if (n == 0) {
                throw new EOFException(label + ": end of stream after " + done + " of " + length + " bytes");
            }
            done += n;
        }
    }

    /** Writes all {@code length} bytes (one call for a seqpacket message, also for one without bytes). */
    public void write(MemorySegment buffer, long length) throws LinuxException {
        if (length == 0 && type == SocketType.SEQPACKET) {
            Libc.send(fd, buffer, 0, MSG_NOSIGNAL);
            return;
        }
        long done = 0;
        while (done < length) {
            done += Libc.send(fd, done == 0 ? buffer : buffer.asSlice(done), length - done, MSG_NOSIGNAL);
        }
    }

    /** Sends what the socket takes without waiting; returns how many bytes went, 0 when it has no room now. */
    public long sendNow(MemorySegment buffer, long length) throws LinuxException {
        try {
            return Libc.send(fd, buffer, length, MSG_NOSIGNAL | MSG_DONTWAIT);
        } catch (LinuxException e) {
            if (e.errno() == Errno.EAGAIN) {
                return 0;
            }
            throw e;
        }
    }

    /**
     * One sendmsg(2) of {@code headLength} bytes of {@code head} then all of {@code tail} (MSG_NOSIGNAL); returns how
     * many bytes went out, which may be fewer (the caller writes the rest). For rfs: a header and data that live apart.
     */
    public long writeGathering(MemorySegment head, long headLength, MemorySegment tail) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment iov = arena.allocate(32, 8);
            iov.set(ValueLayout.ADDRESS, 0, head);
            iov.set(ValueLayout.JAVA_LONG, 8, headLength);
            iov.set(ValueLayout.ADDRESS, 16, tail);
            iov.set(ValueLayout.JAVA_LONG, 24, tail.byteSize());
            MemorySegment msghdr = arena.allocate(56, 8);
            msghdr.set(ValueLayout.ADDRESS, 16, iov);
            msghdr.set(ValueLayout.JAVA_LONG, 24, 2);
            return Libc.sendmsg(fd, msghdr, MSG_NOSIGNAL);
        }
    }

    public void write(byte[] bytes) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment segment = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, segment, ValueLayout.JAVA_BYTE, 0, bytes.length);
            write(segment, bytes.length);
        }
    }

    /** Half-close: the peer reads end of stream, this side can still read. */
    public void shutdownOutput() throws LinuxException {
        Libc.shutdown(fd, SHUT_WR);
    }

    /** Shuts down both directions, waking any thread blocked on this socket; safe from any thread, any time. */
    public void abort() {
        synchronized (descriptor) {
            if (!closed.get()) {
                try {
                    Libc.shutdown(fd, SHUT_RDWR);
                } catch (LinuxException ignored) {
                    // ENOTCONN: nothing was connected, nothing to wake
                }
            }
        }
    }

    /** Waits for {@code events} (POLLIN, POLLOUT) and returns the returned events, 0 after the timeout. */
    public int poll(int events, int timeoutMillis) throws LinuxException {
        return Libc.pollOne(fd, events, timeoutMillis);
    }

    /** True when a read would not block: data, end of stream or an error is pending (a zero-timeout poll). */
    public boolean readableNow() throws LinuxException {
        return poll(POLLIN, 0) != 0;
    }

    public boolean awaitReadable(Duration timeout) throws LinuxException {
        return poll(POLLIN, (int) Math.min(Integer.MAX_VALUE, timeout.toMillis())) != 0;
    }

    /**
     * True when the peer has closed its end completely, as opposed to a half-close ({@code shutdown(SHUT_WR)}):
     * a unix socket reports POLLHUP only when both directions are shut.
     */
    public boolean peerClosed() throws LinuxException {
        return (poll(POLLOUT, 0) & (POLLHUP | POLLERR)) != 0;
    }

    /**
     * True once nothing more can arrive: the peer shut down its sending side or closed (or this side shut down its
     * receiving side). For a seqpacket socket this tells its end of stream from a message without bytes, both of
     * which a read returns as 0.
     */
    public boolean inputEnded() throws LinuxException {
        return (poll(POLLRDHUP, 0) & (POLLRDHUP | POLLHUP)) != 0;
    }

    public PeerCredentials peerCredentials() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment ucred = arena.allocate(12);
            Libc.getsockopt(fd, SOL_SOCKET, SO_PEERCRED, ucred, arena);
            return new PeerCredentials(ucred.get(ValueLayout.JAVA_INT, 0), ucred.get(ValueLayout.JAVA_INT, 4),
                    ucred.get(ValueLayout.JAVA_INT, 8));
        }
    }

    /** TCP_NODELAY: small messages leave at once (the original's missing NODELAY cost it 88 ms per round trip). */
    public void setTcpNoDelay() throws LinuxException {
        setIntOption(IPPROTO_TCP, TCP_NODELAY, 1);
    }

    public void setBufferSizes(int bytes) throws LinuxException {
        setIntOption(SOL_SOCKET, SO_SNDBUF, bytes);
        setIntOption(SOL_SOCKET, SO_RCVBUF, bytes);
    }

    /** TCP keepalive so that a peer that vanished without a FIN is noticed within about {@code idleSeconds * 2}. */
    public void enableTcpKeepalive(int idleSeconds) throws LinuxException {
        setIntOption(SOL_SOCKET, SO_KEEPALIVE, 1);
        setIntOption(IPPROTO_TCP, TCP_KEEPIDLE, idleSeconds);
        setIntOption(IPPROTO_TCP, TCP_KEEPINTVL, Math.max(1, idleSeconds / 3));
        setIntOption(IPPROTO_TCP, TCP_KEEPCNT, 3);
        setIntOption(IPPROTO_TCP, TCP_USER_TIMEOUT, idleSeconds * 2000);
    }

    /** SO_RCVTIMEO: a blocking read that waits longer fails with EAGAIN; {@link Duration#ZERO} waits forever. */
    public void setReceiveTimeout(Duration timeout) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timeval = arena.allocate(16);
            timeval.set(ValueLayout.JAVA_LONG, 0, timeout.toSeconds());
            timeval.set(ValueLayout.JAVA_LONG, 8, timeout.toNanosPart() / 1000);
            Libc.setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, timeval);
        }
    }

    public void setIntOption(int level, int name, int value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.setsockopt(fd, level, name, arena.allocateFrom(ValueLayout.JAVA_INT, value));
        }
    }

    public void setLongOption(int level, int name, long value) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            Libc.setsockopt(fd, level, name, arena.allocateFrom(ValueLayout.JAVA_LONG, value));
        }
    }

    public int intOption(int level, int name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = arena.allocate(ValueLayout.JAVA_INT);
            Libc.getsockopt(fd, level, name, value, arena);
            return value.get(ValueLayout.JAVA_INT, 0);
        }
    }

    /** The local port of a TCP or vsock socket (useful after binding port 0), -1 for other families. */
    public int localPort() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(128);
            Libc.getsockname(fd, address, arena);
            return switch (address.get(ValueLayout.JAVA_SHORT, 0)) {
                case SockAddr.AF_INET -> address.get(BIG_ENDIAN_SHORT, 2) & 0xffff;
                case SockAddr.AF_VSOCK -> address.get(ValueLayout.JAVA_INT, 4);
                default -> -1;
            };
        }
    }

    /** The peer of a TCP or vsock connection as {@code 169.254.77.1:40312} or {@code vsock:3:1234}, for log lines. */
    public String peerAddress() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment address = arena.allocate(128);
            Libc.getpeername(fd, address, arena);
            return switch (address.get(ValueLayout.JAVA_SHORT, 0)) {
                case SockAddr.AF_INET -> (address.get(ValueLayout.JAVA_BYTE, 4) & 0xff) + "." + (address.get(ValueLayout.JAVA_BYTE, 5) & 0xff)
                        + "." + (address.get(ValueLayout.JAVA_BYTE, 6) & 0xff) + "." + (address.get(ValueLayout.JAVA_BYTE, 7) & 0xff)
                        + ":" + (address.get(BIG_ENDIAN_SHORT, 2) & 0xffff);
                case SockAddr.AF_VSOCK -> "vsock:" + Integer.toUnsignedString(address.get(ValueLayout.JAVA_INT, 8)) + ":"
                        + address.get(ValueLayout.JAVA_INT, 4);
                case SockAddr.AF_UNIX -> "unix peer";
                default -> "unknown peer";
            };
        } catch (LinuxException e) {
            return "unknown peer (" + e.getMessage() + ")";
        }
    }

    public boolean isClosed() {
        return closed.get();
    }

    @Override
    public void close() {
        synchronized (descriptor) {
            if (closed.compareAndSet(false, true)) {
                Libc.close(fd);
            }
        }
    }

    @Override
    public String toString() {
        return label + " (fd " + fd + ")";
    }
}
