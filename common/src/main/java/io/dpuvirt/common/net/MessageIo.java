package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * recvmsg/sendmsg with SCM_RIGHTS descriptors, for one thread: the msghdr, iovec and control buffer are
 * allocated once and reused, so a relay loop allocates nothing per message.
 */
public final class MessageIo {
    /** libvirt's limit, and far below the kernel's SCM_MAX_FD (253). */
    public static final int MAX_FDS = 32;
    private static final int SCM_RIGHTS = 1, MSG_PEEK = 0x2, MSG_TRUNC = 0x20, MSG_CTRUNC = 0x8, MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int CMSG_HEADER = 16;
    // struct msghdr on x86_64/aarch64: name 0, namelen 8, iov 16, iovlen 24, control 32, controllen 40, flags 48
    private static final long MSG_IOV = 16, MSG_IOVLEN = 24, MSG_CONTROL = 32, MSG_CONTROLLEN = 40, MSG_FLAGS = 48;

    private final MemorySegment msghdr;
    private final MemorySegment iovec;
    private final MemorySegment control;
    private int[] receivedFds = new int[0];
    private boolean truncated;

    public MessageIo() {
        Arena arena = Arena.ofAuto();
        msghdr = arena.allocate(56, 8);
        iovec = arena.allocate(16, 8);
        control = arena.allocate(CMSG_HEADER + 4L * MAX_FDS, 8);
    }

    /**
     * Receives up to {@code length} bytes and any descriptors sent with them (opened close-on-exec);
     * 0 means end of stream. Afterwards {@link #receivedFds()} and {@link #truncated()} describe the message.
     */
    public long receive(NativeSocket socket, MemorySegment buffer, long length) throws LinuxException {
        prepare(buffer, length, control.byteSize());
        long n = Libc.recvmsg(socket.fd(), msghdr, MSG_CMSG_CLOEXEC);
        int flags = msghdr.get(ValueLayout.JAVA_INT, MSG_FLAGS);
        truncated = (flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
        receivedFds = parseRights(msghdr.get(ValueLayout.JAVA_LONG, MSG_CONTROLLEN));
        return n;
    }

    /**
     * The length of the next message of a seqpacket socket, which stays queued (MSG_PEEK|MSG_TRUNC; no descriptor is
     * taken); waits for one as {@link #receive} does. 0 at end of stream, and for a message without bytes.
     */
    public long nextMessageLength(NativeSocket socket) throws LinuxException {
        prepare(MemorySegment.NULL, 0, 0);
        return Libc.recvmsg(socket.fd(), msghdr, MSG_PEEK | MSG_TRUNC);
    }

    /** The descriptors that came with the last message; the caller owns (and must close) them. */
    public int[] receivedFds() {
        return receivedFds;
    }

    /** True when the last seqpacket message was longer than the buffer, or carried more than MAX_FDS descriptors. */
    public boolean truncated() {
        return truncated;
    }

    /** Sends {@code length} bytes with {@code fds} attached (none if empty); a stream socket may need more calls for the rest. */
    public long send(NativeSocket socket, MemorySegment buffer, long length, int[] fds) throws LinuxException {
        if (fds.length > MAX_FDS) {
            throw new IllegalArgumentException("at most " + MAX_FDS + " descriptors per message, got " + fds.length);
        }
        long controlLength = fds.length == 0 ? 0 : CMSG_HEADER + 4L * fds.length;
        prepare(buffer, length, controlLength);
        if (fds.length > 0) {
            control.set(ValueLayout.JAVA_LONG, 0, controlLength);
            control.set(ValueLayout.JAVA_INT, 8, NativeSocket.SOL_SOCKET);
            control.set(ValueLayout.JAVA_INT, 12, SCM_RIGHTS);
            for (int i = 0; i < fds.length; i++) {
                control.set(ValueLayout.JAVA_INT, CMSG_HEADER + 4L * i, fds[i]);
            }
        }
        return Libc.sendmsg(socket.fd(), msghdr, NativeSocket.MSG_NOSIGNAL);
    }

    private void prepare(MemorySegment buffer, long length, long controlLength) {
        msghdr.fill((byte) 0);
        iovec.set(ValueLayout.ADDRESS, 0, buffer);
        iovec.set(ValueLayout.JAVA_LONG, 8, length);
        msghdr.set(ValueLayout.ADDRESS, MSG_IOV, iovec);
        msghdr.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, 1);
        if (controlLength > 0) {
            msghdr.set(ValueLayout.ADDRESS, MSG_CONTROL, control);
            msghdr.set(ValueLayout.JAVA_LONG, MSG_CONTROLLEN, controlLength);
        }
    }

    private int[] parseRights(long controlLength) {
        if (controlLength < CMSG_HEADER) {
            return new int[0];
        }
        int[] found = new int[0];
        long offset = 0;
        while (offset + CMSG_HEADER <= controlLength) {
            long cmsgLength = control.get(ValueLayout.JAVA_LONG, offset);
            if (cmsgLength < CMSG_HEADER) {
                break;
            }
            if (control.get(ValueLayout.JAVA_INT, offset + 8) == NativeSocket.SOL_SOCKET
                    && control.get(ValueLayout.JAVA_INT, offset + 12) == SCM_RIGHTS) {
                int count = (int) ((cmsgLength - CMSG_HEADER) / 4);
                int[] more = new int[found.length + count];
                System.arraycopy(found, 0, more, 0, found.length);
                for (int i = 0; i < count; i++) {
                    more[found.length + i] = control.get(ValueLayout.JAVA_INT, offset + CMSG_HEADER + 4L * i);
                }
                found = more;
            }
            offset += (cmsgLength + 7) & ~7L;
        }
        return found;
    }
}
