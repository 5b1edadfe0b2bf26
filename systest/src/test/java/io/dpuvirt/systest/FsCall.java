package io.dpuvirt.systest;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * File system calls on absolute paths for the conformance suite, each giving a comparable outcome: what the call
 * returned, or the name of its errno. No inode numbers or clock times, which differ between any two directories.
 */
final class FsCall {
    static final int AT_FDCWD = -100, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;
    static final int O_RDONLY = 0, O_WRONLY = 1, O_RDWR = 2, O_CREAT = 0x40, O_EXCL = 0x80, O_TRUNC = 0x200,
            O_APPEND = 0x400, O_DIRECT = 0x4000, O_DIRECTORY = 0x10000, O_NOFOLLOW = 0x20000, O_CLOEXEC = 0x80000;

    /** A call that may fail with an errno. */
    @FunctionalInterface
    interface Call {
        String run() throws LinuxException;
    }

    private FsCall() {
    }

    /** "ok", or "ok " + what the call returned, or the errno's name. */
    static String outcome(Call call) {
        try {
            String result = call.run();
            return result == null || result.isEmpty() ? "ok" : "ok " + result;
        } catch (LinuxException e) {
            return Errno.name(e.errno());
        }
    }

    static String stat(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = arena.allocate(256, 8);
            FileCalls.statx(AT_FDCWD, path.toString(), AT_SYMLINK_NOFOLLOW, 0x7ff, statx);
            int mode = statx.get(ValueLayout.JAVA_SHORT, 28) & 0xffff;
            long size = (mode & 0xf000) == 0x4000 ? -1 : statx.get(ValueLayout.JAVA_LONG, 40); // directory sizes differ by fs
            return String.format("mode=%o nlink=%d uid=%d gid=%d size=%d", mode, statx.get(ValueLayout.JAVA_INT, 16),
                    statx.get(ValueLayout.JAVA_INT, 20), statx.get(ValueLayout.JAVA_INT, 24), size);
        }
    }

    static long mtime(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statx = arena.allocate(256, 8);
            FileCalls.statx(AT_FDCWD, path.toString(), AT_SYMLINK_NOFOLLOW, 0x7ff, statx);
            return statx.get(ValueLayout.JAVA_LONG, 112);
        }
    }

    static int open(Path path, int flags, int mode) throws LinuxException {
        return Libc.open(path.toString(), flags | O_CLOEXEC, mode);
    }

    static void write(int fd, String text, long offset) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = arena.allocate(Math.max(1, bytes.length));
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            FileCalls.pwrite(fd, data, bytes.length, offset);
        }
    }

    static String read(int fd, int length, long offset) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment data = arena.allocate(Math.max(1, length), 4096);
            long n = FileCalls.pread(fd, data, length, offset);
            return new String(data.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    static void writeFile(Path path, String text) throws LinuxException {
        int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        try {
            write(fd, text, 0);
        } finally {
            Libc.close(fd);
        }
    }

    static String readFile(Path path) throws LinuxException {
        int fd = open(path, O_RDONLY, 0);
        try {
            return read(fd, 65536, 0);
        } finally {
            Libc.close(fd);
        }
    }

    static String readlink(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            long n = FileCalls.readlinkat(AT_FDCWD, path.toString(), buffer);
            return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    static String getxattr(Path path, String name) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            long n = FileCalls.getxattr(path.toString(), name, buffer);
            return new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        }
    }

    static void setxattr(Path path, String name, String value, int flags) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
            MemorySegment data = arena.allocate(bytes.length);
            MemorySegment.copy(bytes, 0, data, ValueLayout.JAVA_BYTE, 0, bytes.length);
            FileCalls.setxattr(path.toString(), name, data, flags);
        }
    }

    /** The user.* names, sorted (other namespaces, e.g. security.*, depend on the machine). */
    static String listxattr(Path path) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(4096);
            long n = FileCalls.listxattr(path.toString(), buffer);
            String all = new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
            return String.join(",", java.util.Arrays.stream(all.split("\0")).filter(s -> s.startsWith("user.")).sorted().toList());
        }
    }

    /** F_OFD_SETLK: the lock of one open file description. */
    static void ofdLock(int fd, int type, long start, long length) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(32, 8);
            flock.set(ValueLayout.JAVA_SHORT, 0, (short) type);
            flock.set(ValueLayout.JAVA_LONG, 8, start);
            flock.set(ValueLayout.JAVA_LONG, 16, length);
            FileCalls.fcntl(fd, 37, flock);
        }
    }

    /** F_OFD_GETLK: the type of a conflicting lock (2: none). */
    static int ofdTest(int fd, int type, long start, long length) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment flock = arena.allocate(32, 8);
            flock.set(ValueLayout.JAVA_SHORT, 0, (short) type);
            flock.set(ValueLayout.JAVA_LONG, 8, start);
            flock.set(ValueLayout.JAVA_LONG, 16, length);
            FileCalls.fcntl(fd, 36, flock);
            return flock.get(ValueLayout.JAVA_SHORT, 0);
        }
    }

    static String statfsNameLength(Path path) throws LinuxException {
        int fd = open(path, O_RDONLY | O_DIRECTORY, 0);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment statfs = arena.allocate(120, 8);
            FileCalls.fstatfs(fd, statfs);
            return "namelen=" + statfs.get(ValueLayout.JAVA_LONG, 64);
        } finally {
            Libc.close(fd);
        }
    }
}
