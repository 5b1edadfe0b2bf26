package io.dpuvirt.rfs.server;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.security.SecureRandom;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;

/**
 * The files one client connection has open, by handle. POSIX locks are per lock owner on the DPU but per process
 * here, so each owner gets its own open file description (re-opened through /proc/self/fd) and its locks are
 * OFD locks on it: owners conflict with each other and with the HOST's own processes, as on one machine.
 * Everything is closed when the connection ends.
 */
final class OpenFiles implements AutoCloseable {
    /**
     * One open file: the descriptor, its access mode, whether it lies on /proc or /sys (where a read may wait for
     * good, as one of /proc/kmsg does), and the per-owner descriptors holding POSIX locks.
     */
    static final class OpenFile {
        final int fd;
        final int accessMode;
        final boolean pseudo;
        private final Map<Long, Integer> ownerFds = new ConcurrentHashMap<>();

        OpenFile(int fd, int accessMode, boolean pseudo) {
            this.fd = fd;
            this.accessMode = accessMode;
            this.pseudo = pseudo;
        }

        /** The descriptor whose OFD locks are {@code owner}'s, opened on first use. */
        int ownerFd(long owner) throws LinuxException {
            Integer existing = ownerFds.get(owner);
            if (existing != null) {
                return existing;
            }
            synchronized (this) {
                existing = ownerFds.get(owner);
                if (existing != null) {
                    return existing;
                }
                int reopened = Libc.open("/proc/self/fd/" + fd, accessMode | O_CLOEXEC | O_NONBLOCK | O_NOCTTY, 0);
                ownerFds.put(owner, reopened);
                return reopened;
            }
        }

        /** close(2) semantics: the owner's POSIX locks go with its descriptor. */
        void dropOwner(long owner) {
            Integer fdOfOwner = ownerFds.remove(owner);
            if (fdOfOwner != null) {
                Libc.close(fdOfOwner);
            }
        }

        void close() {
            ownerFds.values().forEach(Libc::close);
            ownerFds.clear();
            Libc.close(fd);
        }
    }

    /**
     * Numbers the connections of this engine, from a random start: a connection's handles are its number in the
     * upper half and a count in the lower, so that no two connections (nor an engine started again) give out the
     * same handle. A client whose link came back may still send a request that carries a handle of the connection
     * before: it must get EBADF, never reach the file that another connection's count gave the same number.
     */
    private static final AtomicLong CONNECTIONS = new AtomicLong(new SecureRandom().nextInt() & 0x7fff_ffffL);

    private final Map<Long, OpenFile> files = new ConcurrentHashMap<>();
    private final AtomicLong nextHandle = new AtomicLong(((CONNECTIONS.incrementAndGet() & 0x7fff_ffffL) << 32) + 1);

    long add(int fd, int accessMode, boolean pseudo) {
        long handle = nextHandle.getAndIncrement();
        files.put(handle, new OpenFile(fd, accessMode, pseudo));
        return handle;
    }

    OpenFile get(long handle) throws LinuxException {
        OpenFile file = files.get(handle);
        if (file == null) {
            throw new LinuxException("rfs handle", Long.toString(handle), Errno.EBADF);
        }
        return file;
    }

    /** The open file, or null for handle -1 (no handle given) or an unknown one. */
    OpenFile find(long handle) {
        return handle == -1 ? null : files.get(handle);
    }

    void release(long handle) {
        OpenFile file = files.remove(handle);
        if (file != null) {
            file.close();
        }
    }

    @Override
    public void close() {
        files.keySet().forEach(this::release);
    }
}
