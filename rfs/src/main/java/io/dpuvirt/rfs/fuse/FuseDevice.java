package io.dpuvirt.rfs.fuse;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;
import static io.dpuvirt.common.linux.OpenFlags.O_RDWR;

/**
 * /dev/fuse with a mount on top: mount(2) is given the open descriptor ({@code fd=N}), and from then on the
 * kernel's requests for that mount are read from it and the replies written to it, one per write(2). No libfuse.
 */
public final class FuseDevice implements AutoCloseable {
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_RELATIME = 1 << 21;
    private static final int MNT_DETACH = 2;
    private static final long FUSE_SUPER_MAGIC = 0x65735546L;

    private final int fd;
    private final String mountPoint;

    private FuseDevice(int fd, String mountPoint) {
        this.fd = fd;
        this.mountPoint = mountPoint;
    }

    /**
     * Mounts a FUSE file system of type {@code fuse.SUBTYPE} at {@code mountPoint}, named {@code source} in
     * /proc/mounts. {@code default_permissions} makes the kernel check modes and owners itself, as for a local
     * file system; {@code allow_other} lets every user in.
     */
    public static FuseDevice mount(String source, String mountPoint, String subtype, long flags, int maxRead) throws LinuxException {
        int fd = Libc.open("/dev/fuse", O_RDWR | O_CLOEXEC, 0);
        try {
            String options = "fd=" + fd + ",rootmode=40000,user_id=0,group_id=0,default_permissions,allow_other,max_read=" + maxRead;
            FileCalls.mount(source, mountPoint, "fuse." + subtype, flags, options);
            return new FuseDevice(fd, mountPoint);
        } catch (LinuxException e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Reads one request; ENODEV once the file system is unmounted. */
    long read(MemorySegment buffer) throws LinuxException {
        return Libc.read(fd, buffer, buffer.byteSize());
    }

    /**
     * Writes one reply. ENOENT means the request was interrupted and the kernel no longer waits for it: not an
     * error for the file system.
     */
    void write(MemorySegment reply, long length) throws LinuxException {
        reply.set(ValueLayout.JAVA_INT, 0, (int) length);
        try {
            Libc.write(fd, reply, length);
        } catch (LinuxException e) {
            if (!e.is(Errno.ENOENT)) {
                throw e;
            }
        }
    }

    /** Writes one reply whose payload follows the header from elsewhere (read data straight from the link). */
    void write(MemorySegment header, long headerLength, MemorySegment payload) throws LinuxException {
        header.set(ValueLayout.JAVA_INT, 0, (int) (headerLength + payload.byteSize()));
        try {
            FileCalls.writev(fd, header, headerLength, payload, payload.byteSize());
        } catch (LinuxException e) {
            if (!e.is(Errno.ENOENT)) {
                throw e;
            }
        }
    }

    public String mountPoint() {
        return mountPoint;
    }

    /**
     * Detaches the mount (lazily: busy files keep it alive until closed), but only if what is mounted there is a
     * FUSE file system: after umount(8) the path may be a mount point of something else again.
     */
    public void unmount() {
        try (java.lang.foreign.Arena arena = java.lang.foreign.Arena.ofConfined()) {
            int fd = Libc.open(mountPoint, O_PATH | O_CLOEXEC, 0);
            MemorySegment statfs = arena.allocate(120, 8);
            try {
                FileCalls.fstatfs(fd, statfs);
            } finally {
                Libc.close(fd);
            }
            if (statfs.get(ValueLayout.JAVA_LONG, 0) == FUSE_SUPER_MAGIC) {
                FileCalls.umount2(mountPoint, MNT_DETACH);
            }
        } catch (LinuxException ignored) {
            // already gone: umount(8) did it, which is how a mount normally ends
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
