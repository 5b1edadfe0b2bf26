package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.DirEntry;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.StatFs;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

import static io.dpuvirt.common.linux.FileCalls.AT_EMPTY_PATH;
import static io.dpuvirt.common.linux.FileCalls.AT_FDCWD;
import static io.dpuvirt.common.linux.FileCalls.AT_SYMLINK_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_ACCMODE;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/** Operations on one existing node: attributes, symlink target, file system statistics, extended attributes. */
final class NodeOperations {
    static final int FATTR_MODE = 1, FATTR_UID = 2, FATTR_GID = 4, FATTR_SIZE = 8, FATTR_ATIME = 16, FATTR_MTIME = 32,
            FATTR_ATIME_NOW = 128, FATTR_MTIME_NOW = 256;
    private static final long UTIME_NOW = (1L << 30) - 1, UTIME_OMIT = (1L << 30) - 2;

    private final Export export;
    private final Guard guard;
    private final OpenFiles files;

    NodeOperations(Export export, Guard guard, OpenFiles files) {
        this.export = export;
        this.guard = guard;
        this.files = files;
    }

    void lookup(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        guard.require(Section.LOOKUP, path);
        Nodes.stat(export, path).write(out);
    }

    void getattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        OpenFiles.OpenFile file = files.find(in.u64());
        guard.require(Section.GETATTR, path);
        (file != null ? Nodes.stat(file.fd) : Nodes.stat(export, path)).write(out);
    }

    void setattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        OpenFiles.OpenFile file = files.find(in.u64());
        int valid = in.u32(), mode = in.u32(), uid = in.u32(), gid = in.u32();
        long size = in.u64(), atime = in.u64();
        int atimeNs = in.u32();
        long mtime = in.u64();
        int mtimeNs = in.u32();
        guard.require(Section.SETATTR, path);
        int node = export.openNode(path);
        try {
            if ((valid & FATTR_MODE) != 0) {
                if (Nodes.stat(node).isSymlink()) {
                    throw new LinuxException("chmod", path, Errno.EOPNOTSUPP);
                }
                // the O_PATH descriptor pins the node: a file swapped for a symlink meanwhile is not what changes
                FileCalls.chmod(Nodes.procPath(node), mode & 07777);
            }
            if ((valid & (FATTR_UID | FATTR_GID)) != 0) {
                FileCalls.fchownat(node, "", (valid & FATTR_UID) != 0 ? uid : -1, (valid & FATTR_GID) != 0 ? gid : -1,
                        AT_EMPTY_PATH);
            }
            if ((valid & FATTR_SIZE) != 0) {
                truncate(file, node, size);
            }
            if ((valid & (FATTR_ATIME | FATTR_MTIME | FATTR_ATIME_NOW | FATTR_MTIME_NOW)) != 0) {
                MemorySegment times = Scratch.get().times;
                setTime(times, 0, valid, FATTR_ATIME, FATTR_ATIME_NOW, atime, atimeNs);
                setTime(times, 16, valid, FATTR_MTIME, FATTR_MTIME_NOW, mtime, mtimeNs);
                FileCalls.utimensat(AT_FDCWD, Nodes.procPath(node), times, 0);
            }
            Nodes.stat(node).write(out);
        } finally {
            Libc.close(node);
        }
    }

    private static void truncate(OpenFiles.OpenFile file, int node, long size) throws LinuxException {
        if (file != null && (file.accessMode & O_ACCMODE) != 0) {
            FileCalls.ftruncate(file.fd, size);
            return;
        }
        int fd = Libc.open(Nodes.procPath(node), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY, 0);
        try {
            FileCalls.ftruncate(fd, size);
        } finally {
            Libc.close(fd);
        }
    }

    private static void setTime(MemorySegment times, long offset, int valid, int set, int now, long seconds, int nanos) {
        boolean explicit = (valid & set) != 0 && (valid & now) == 0;
        times.set(ValueLayout.JAVA_LONG, offset, explicit ? seconds : 0);
        times.set(ValueLayout.JAVA_LONG, offset + 8, (valid & now) != 0 ? UTIME_NOW : explicit ? nanos : UTIME_OMIT);
    }

    void readlink(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        guard.require(Section.READLINK, path);
        int node = export.openNode(path);
        try {
            MemorySegment buffer = Scratch.get().link;
            long length = FileCalls.readlinkat(node, "", buffer);
            out.blob(buffer.asSlice(0, length));
        } finally {
            Libc.close(node);
        }
    }

    void statfs(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        guard.require(Section.STATFS, path);
        int node = export.openNode(path);
        try {
            MemorySegment buffer = Scratch.get().statfs;
            FileCalls.fstatfs(node, buffer);
            StatFs.ofStatfs(buffer).write(out);
        } finally {
            Libc.close(node);
        }
    }

    void getxattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        String name = in.string();
        int size = in.u32();
        guard.require(Section.GETXATTR, path);
        int node = export.openNode(path);
        try {
            MemorySegment buffer = Scratch.get().xattr.asSlice(0, Math.min(size, Scratch.XATTR_MAX));
            long length = FileCalls.getxattr(Nodes.procPath(node), name, buffer);
            replySized(out, size, buffer, length);
        } finally {
            Libc.close(node);
        }
    }

    void listxattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        int size = in.u32();
        guard.require(Section.GETXATTR, path);
        int node = export.openNode(path);
        try {
            MemorySegment buffer = Scratch.get().xattr.asSlice(0, Math.min(size, Scratch.XATTR_MAX));
            long length = FileCalls.listxattr(Nodes.procPath(node), buffer);
            replySized(out, size, buffer, length);
        } finally {
            Libc.close(node);
        }
    }

    /** The xattr convention: asked with size 0, the size; otherwise the value. */
    private static void replySized(WireWriter out, int asked, MemorySegment buffer, long length) {
        out.u32((int) length);
        if (asked != 0) {
            out.blob(buffer.asSlice(0, length));
        }
    }

    void setxattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        String name = in.string();
        MemorySegment value = in.blob();
        int flags = in.u32();
        guard.require(Section.SETXATTR, path);
        if (value.byteSize() > Scratch.XATTR_MAX) {
            throw new LinuxException("setxattr", name, Errno.ERANGE);
        }
        int node = export.openNode(path);
        try {
            MemorySegment buffer = Scratch.get().xattr.asSlice(0, value.byteSize());
            MemorySegment.copy(value, 0, buffer, 0, value.byteSize());
            FileCalls.setxattr(Nodes.procPath(node), name, buffer, flags);
        } finally {
            Libc.close(node);
        }
    }

    void removexattr(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        String name = in.string();
        guard.require(Section.SETXATTR, path);
        int node = export.openNode(path);
        try {
            FileCalls.removexattr(Nodes.procPath(node), name);
        } finally {
            Libc.close(node);
        }
    }

    /** Directory entries from {@code cookie} on, as many as fit a reply of about {@link #LIST_BUDGET} bytes. */
    void listdir(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        long cookie = in.u64();
        guard.require(Section.READDIR, path);
        int fd = export.openFile(path, O_DIRECTORY, 0);
        try {
            if (cookie != 0) {
                Libc.lseek(fd, cookie, 0);
            }
            MemorySegment buffer = Scratch.get().dirents;
            long start = out.length();
            long next = cookie;
            boolean end = false;
            while (out.length() - start < LIST_BUDGET) {
                long n = FileCalls.getdents64(fd, buffer);
                if (n == 0) {
                    end = true;
                    break;
                }
                for (long at = 0; at < n; ) {
                    int recordLength = buffer.get(ValueLayout.JAVA_SHORT_UNALIGNED, at + 16) & 0xffff;
                    String name = cString(buffer, at + 19, recordLength - 19);
                    out.u8(1);
                    new DirEntry(buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, at), buffer.get(ValueLayout.JAVA_BYTE, at + 18) & 0xff,
                            name).write(out);
                    next = buffer.get(ValueLayout.JAVA_LONG_UNALIGNED, at + 8);
                    at += recordLength;
                }
            }
            out.u8(0).u64(next).u8(end ? 1 : 0);
        } finally {
            Libc.close(fd);
        }
    }

    static final long LIST_BUDGET = 128 * 1024;

    /**
     * The attributes of several names in one directory, each checked as its own LOOKUP would be (but a refusal is
     * not logged: these are asked ahead of need). A name is a single component of the directory and is never
     * followed; one that fails gets its errno, the others their attributes.
     */
    void lookups(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        int count = in.u32();
        if (count < 0 || count > Op.MAX_LOOKUPS) {
            throw new WireException("LOOKUPS of " + Integer.toUnsignedString(count) + " names (at most " + Op.MAX_LOOKUPS + ")");
        }
        int directory = export.openNode(path);
        try {
            Scratch scratch = Scratch.get();
            for (int i = 0; i < count; i++) {
                String name = in.string();
                String child = path.isEmpty() ? name : path + "/" + name;
                try {
                    if (name.isEmpty() || name.indexOf('/') >= 0) {
                        throw new LinuxException("rfs name", name, Errno.EINVAL);
                    }
                    Export.validate(child);
                    if (!guard.allows(Section.LOOKUP, child)) { // asked ahead of need: refused without a log line
                        throw new LinuxException("whitelist", child, Errno.EACCES);
                    }
                    FileCalls.statx(directory, name, AT_SYMLINK_NOFOLLOW, Attr.STATX_BASIC_STATS, scratch.statx);
                    out.u32(0);
                    Attr.ofStatx(scratch.statx).write(out);
                } catch (LinuxException e) {
                    out.u32(e.errno());
                }
            }
        } finally {
            Libc.close(directory);
        }
    }

    private static String cString(MemorySegment buffer, long offset, long maximum) {
        long length = 0;
        while (length < maximum && buffer.get(ValueLayout.JAVA_BYTE, offset + length) != 0) {
            length++;
        }
        return new String(buffer.asSlice(offset, length).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
    }
}
