package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.common.linux.OpenFlags;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Set;

import static io.dpuvirt.common.linux.FileCalls.AT_EMPTY_PATH;
import static io.dpuvirt.common.linux.FileCalls.LOCK_EX;
import static io.dpuvirt.common.linux.FileCalls.LOCK_NB;
import static io.dpuvirt.common.linux.FileCalls.LOCK_SH;
import static io.dpuvirt.common.linux.FileCalls.LOCK_UN;
import static io.dpuvirt.common.linux.OpenFlags.O_ACCMODE;
import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_DSYNC;
import static io.dpuvirt.common.linux.OpenFlags.O_EXCL;
import static io.dpuvirt.common.linux.OpenFlags.O_NOATIME;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;
import static io.dpuvirt.common.linux.OpenFlags.O_SYNC;
import static io.dpuvirt.common.linux.OpenFlags.O_TRUNC;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/** Open files: open, create, read, write, sync, locks, fallocate, seek, close. */
final class FileOperations {
    /** Pseudo file systems whose files report size 0 but have content: proc, sysfs, cgroup, debugfs, tracefs… */
    private static final Set<Long> PSEUDO_FILE_SYSTEMS = Set.of(0x9fa0L, 0x62656572L, 0x63677270L, 0x27e0ebL,
            0x64626720L, 0x74726163L, 0x73636673L, 0x62656570L, 0xcafe4a11L, 0x6165676cL, 0xde5e81e4L);
    private static final int F_OFD_GETLK = 36, F_OFD_SETLK = 37, F_UNLCK = 2;
    private static final int F_RDLCK = 0;
    /** Flags a client may pass through; O_DIRECT is served from the HOST's page cache (our buffers are not aligned). */
    private static final int PASSED_FLAGS = O_ACCMODE | O_TRUNC | O_APPEND | O_NONBLOCK
            | O_SYNC | O_DSYNC | O_NOATIME | O_DIRECTORY;

    private final Export export;
    private final Guard guard;
    private final OpenFiles files;

    FileOperations(Export export, Guard guard, OpenFiles files) {
        this.export = export;
        this.guard = guard;
        this.files = files;
    }

    void open(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        int flags = OpenFlags.fromWire(in.u32());
        requireAccess(path, flags);
        int fd = export.openFile(path, flags & PASSED_FLAGS, 0);
        reply(out, fd, flags, 0);
    }

    /** Creates (or, without O_EXCL, opens what the HOST made meanwhile) and gives a new file to the caller. */
    void create(WireReader in, WireWriter out, Caller caller) throws LinuxException, WireException {
        String path = in.string();
        int flags = OpenFlags.fromWire(in.u32());
        int mode = in.u32();
        guard.require(Section.CREATE, path);
        requireAccess(path, flags);
        int fd;
        int created = Op.OPEN_CREATED;
        try (Export.Parent parent = export.openParent(path)) {
            try {
                fd = export.openFile(path, (flags & PASSED_FLAGS) | O_CREAT | O_EXCL, mode);
                if (!caller.isRoot()) {
                    giveTo(fd, parent, caller);
                }
            } catch (LinuxException e) {
                if (!e.is(Errno.EEXIST) || (flags & O_EXCL) != 0) {
                    throw e;
                }
                fd = export.openFile(path, flags & PASSED_FLAGS, 0);
                created = 0;
            }
            reply(out, fd, flags, created);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    /** The caller's file, in its directory's group where that is set-group-ID (as the kernel does for a local create). */
    private static void giveTo(int fd, Export.Parent parent, Caller caller) throws LinuxException {
        try {
            boolean inheritGroup = (Nodes.stat(parent.fd()).mode() & Attr.S_ISGID) != 0;
            FileCalls.fchownat(fd, "", caller.uid(), inheritGroup ? -1 : caller.gid(), AT_EMPTY_PATH);
        } catch (LinuxException e) {
            Libc.close(fd);
            throw e;
        }
    }

    private void requireAccess(String path, int flags) throws LinuxException {
        guard.require(Section.OPEN, path);
        int access = flags & O_ACCMODE;
        if (access != O_WRONLY) {
            guard.require(Section.READ, path);
        }
        if (access != 0 || (flags & O_TRUNC) != 0) {
            guard.require(Section.WRITE, path);
        }
    }

    private void reply(WireWriter out, int fd, int flags, int openFlags) throws LinuxException {
        MemorySegment statfs = Scratch.get().statfs;
        try {
            FileCalls.fstatfs(fd, statfs);
            if (PSEUDO_FILE_SYSTEMS.contains(statfs.get(ValueLayout.JAVA_LONG, 0))) {
                openFlags |= Op.OPEN_DIRECT;
            }
            var attr = Nodes.stat(fd);
            out.u64(files.add(fd, flags & O_ACCMODE, (openFlags & Op.OPEN_DIRECT) != 0)).u32(openFlags);
            attr.write(out);
        } catch (LinuxException | RuntimeException e) {
            Libc.close(fd);
            throw e;
        }
    }

    void read(WireReader in, WireWriter out) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        long offset = in.u64();
        int size = Math.min(in.u32(), Op.MAX_IO);
        MemorySegment target = out.reserveBlob(size);
        long done = 0;
        while (done < size) {
            long n = FileCalls.pread(file.fd, target.asSlice(done), size - done, offset + done);
            if (n == 0) {
                break;
            }
            done += n;
        }
        out.commitBlob(done);
    }

    void write(WireReader in, WireWriter out) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        long offset = in.u64();
        MemorySegment data = in.blob();
        if (data.byteSize() > Op.MAX_IO) {
            throw new LinuxException("write", null, Errno.EINVAL);
        }
        long done = 0; // data is a view into the receive buffer: writes are served on the connection's reader
        while (done < data.byteSize()) {
            done += FileCalls.pwrite(file.fd, data.asSlice(done), data.byteSize() - done, offset + done);
        }
        out.u32((int) done);
        Nodes.stat(file.fd).write(out); // the client answers the kernel's next getattr with this
    }

    void release(WireReader in) throws WireException {
        files.release(in.u64());
    }

    void flush(WireReader in) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        file.dropOwner(in.u64());
    }

    void fsync(WireReader in) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        FileCalls.fsync(file.fd, in.u32() != 0);
    }

    void fallocate(WireReader in) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        int mode = in.u32();
        long offset = in.u64();
        long length = in.u64();
        FileCalls.fallocate(file.fd, mode, offset, length);
    }

    void lseek(WireReader in, WireWriter out) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        long offset = in.u64();
        int whence = in.u32();
        out.u64(Libc.lseek(file.fd, offset, whence));
    }

    /** The conflicting lock, or F_UNLCK: POSIX (OFD) locks only; flock has no query. */
    void getlk(WireReader in, WireWriter out) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        long owner = in.u64();
        MemorySegment flock = fillFlock(in.u64(), in.u64(), in.u32());
        FileCalls.fcntl(file.ownerFd(owner), F_OFD_GETLK, flock);
        short type = flock.get(ValueLayout.JAVA_SHORT, 0);
        long start = flock.get(ValueLayout.JAVA_LONG, 8);
        long length = flock.get(ValueLayout.JAVA_LONG, 16);
        out.u64(start).u64(length == 0 ? Long.MAX_VALUE : start + length - 1).u32(type).u32(flock.get(ValueLayout.JAVA_INT, 24));
    }

    /** Takes or drops a lock without waiting: EAGAIN when another holds it (the client retries for SETLKW). */
    void setlk(WireReader in) throws LinuxException, WireException {
        OpenFiles.OpenFile file = files.get(in.u64());
        long owner = in.u64();
        long start = in.u64();
        long end = in.u64();
        int type = in.u32();
        boolean isFlock = in.u32() != 0;
        if (isFlock) {
            int operation = type == F_UNLCK ? LOCK_UN : (type == F_RDLCK ? LOCK_SH : LOCK_EX) | LOCK_NB;
            FileCalls.flock(file.fd, operation);
            return;
        }
        try {
            FileCalls.fcntl(file.ownerFd(owner), F_OFD_SETLK, fillFlock(start, end, type));
        } catch (LinuxException e) {
            throw e.is(Errno.EACCES) ? new LinuxException("fcntl F_OFD_SETLK", null, Errno.EAGAIN) : e;
        }
    }

    private static MemorySegment fillFlock(long start, long end, int type) {
        MemorySegment flock = Scratch.get().flock;
        flock.fill((byte) 0);
        flock.set(ValueLayout.JAVA_SHORT, 0, (short) type);
        flock.set(ValueLayout.JAVA_SHORT, 2, (short) 0); // SEEK_SET
        flock.set(ValueLayout.JAVA_LONG, 8, start);
        flock.set(ValueLayout.JAVA_LONG, 16, end == Long.MAX_VALUE ? 0 : end - start + 1);
        return flock;
    }
}
