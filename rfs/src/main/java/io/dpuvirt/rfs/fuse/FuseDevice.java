package io.dpuvirt.rfs.fuse;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * /dev/fuse with a mount on top: mount(2) is given the open descriptor ({@code fd=N}), and from then on the
 * kernel's requests for that mount are read from it and the replies written to it, one per write(2). No libfuse.
 */
public final class FuseDevice implements AutoCloseable {
    public static final long MS_RDONLY = 1, MS_NOSUID = 2, MS_NODEV = 4, MS_NOEXEC = 8, MS_SYNCHRONOUS = 16,
            MS_NOATIME = 1024, MS_NODIRATIME = 2048, MS_RELATIME = 1 << 21;
    private static final int O_RDWR = 2, O_CLOEXEC = 0x80000;

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
            Libc.mount(source, mountPoint, "fuse." + subtype, flags, options);
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

    public String mountPoint() {
        return mountPoint;
    }

    /** Detaches the mount (lazily: busy files keep it alive until closed) and closes the device. */
    public void unmount() {
        try {
            Libc.umount2(mountPoint, 2 /* MNT_DETACH */);
        } catch (LinuxException ignored) {
            // already unmounted (umount(8) did it, which is how a mount normally ends)
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
