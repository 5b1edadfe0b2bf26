package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.RenameCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.fabric.link.Buffer;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static io.dpuvirt.common.linux.FileCalls.AT_EMPTY_PATH;
import static io.dpuvirt.common.linux.FileCalls.AT_REMOVEDIR;
import static io.dpuvirt.common.linux.FileCalls.RESOLVE_BENEATH;
import static io.dpuvirt.common.linux.FileCalls.RESOLVE_NO_SYMLINKS;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_EXCL;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/**
 * What file requests do, at a {@link FileAreas.Location}: its root is opened (and what was opened checked against
 * the root's canonical path), and everything below it is reached with openat2(RESOLVE_BENEATH |
 * RESOLVE_NO_SYMLINKS) from there, so that no symlink and no {@code ..} leads out, even one swapped in after the
 * location was checked: that is refused. The last component is acted on with the *at calls, relative to its
 * directory's descriptor.
 */
final class FileOperations {
    /** The mode of parents MKDIR_PRIVATE creates, as {@code mkdir -p} with the usual umask. */
    private static final int PARENT_MODE = 0755;
    private static final int PRIVATE_MODE = 0700;

    private FileOperations() {
    }

    /** A descriptor, closed with the try block that opened it. */
    private record Descriptor(int fd) implements AutoCloseable {
        /** The descriptor's /proc path, through which chmod reaches what it refers to (fchmod cannot, on O_PATH). */
        String procPath() {
            return "/proc/self/fd/" + fd;
        }

        @Override
        public void close() {
            Libc.close(fd);
        }
    }

    /** The whole content, at most {@code limit} bytes (a larger file is refused: /proc's files all claim size 0, so it is read to tell). */
    static byte[] read(FileAreas.Location location, int limit) throws IOException {
        try (Descriptor root = openRoot(location);
             Descriptor file = beneath(location, root, location.relative(), O_RDONLY | O_NONBLOCK | O_NOCTTY)) {
            Buffer buffer = new Buffer(64 * 1024, limit + 1L);
            long length = 0;
            long n;
            while ((n = Libc.read(file.fd(), buffer.segment().asSlice(length), buffer.capacity() - length)) > 0) {
                length += n;
                if (length > limit) {
                    throw RequestRefusedException.refused(location.path() + " is larger than the " + (limit >> 20) + " MiB a file request reads");
                }
                buffer.ensure(length + 1, length);
            }
            return buffer.segment().asSlice(0, length).toArray(JAVA_BYTE);
        }
    }

    /**
     * Replaces the file at once: a temporary file beside it (created 0600, never a link), the content written and
     * synced, the mode set, renamed over the file (a symlink there is replaced, not followed), the directory synced.
     */
    static void write(FileAreas.Location location, int mode, ByteString content) throws IOException {
        try (Descriptor root = openRoot(location);
             Descriptor directory = beneath(location, root, location.parent(), O_RDONLY | O_DIRECTORY)) {
            String temporary = "." + location.name() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp";
            try {
                try (Descriptor file = new Descriptor(FileCalls.openat(directory.fd(), temporary,
                        O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600))) {
                    writeFully(file, content);
                    FileCalls.chmod(file.procPath(), mode); // exactly, whatever the server's umask
                    FileCalls.fsync(file.fd(), false);
                }
                RenameCalls.renameat2(directory.fd(), temporary, directory.fd(), location.name(), 0);
            } catch (IOException e) {
                unlinkQuietly(directory, temporary);
                throw e;
            }
            FileCalls.fsync(directory.fd(), false);
        }
    }

    private static void writeFully(Descriptor file, ByteString content) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bytes = arena.allocate(Math.max(1, content.length()));
            MemorySegment.copy(content.toByteArray(), 0, bytes, JAVA_BYTE, 0, content.length());
            long written = 0;
            while (written < content.length()) {
                written += Libc.write(file.fd(), bytes.asSlice(written), content.length() - written);
            }
        }
    }

    private static void unlinkQuietly(Descriptor directory, String name) {
        try {
            FileCalls.unlinkat(directory.fd(), name, 0);
        } catch (LinuxException e) {
            // not created, or already renamed
        }
    }

    /** Removes a file (a symlink itself) or an empty directory; false if there was nothing. */
    static boolean delete(FileAreas.Location location) throws IOException {
        try (Descriptor root = openRoot(location);
             Descriptor directory = beneath(location, root, location.parent(), O_PATH | O_DIRECTORY)) {
            try {
                FileCalls.unlinkat(directory.fd(), location.name(), 0);
                return true;
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT)) {
                    return false;
                }
                if (!e.is(Errno.EISDIR)) {
                    throw e;
                }
            }
            try {
                FileCalls.unlinkat(directory.fd(), location.name(), AT_REMOVEDIR);
                return true;
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT)) {
                    return false;
                }
                throw e;
            }
        }
    }

    /**
     * Removes a directory with the files in it (a program's run directory: its sockets, pid file): each entry that is
     * not a directory, then the directory. One holding a directory stays, and so does that; false if there was no
     * directory, or it stays.
     */
    static boolean deleteDirectoryWithFiles(FileAreas.Location location) throws IOException {
        try (Descriptor root = openRoot(location);
             Descriptor parent = beneath(location, root, location.parent(), O_PATH | O_DIRECTORY)) {
            try (Descriptor directory = beneath(location, parent, location.name(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW);
                 DirectoryStream<Path> entries = Files.newDirectoryStream(Path.of(directory.procPath()))) {
                for (Path entry : entries) {
                    try {
                        FileCalls.unlinkat(directory.fd(), entry.getFileName().toString(), 0);
                    } catch (LinuxException e) {
                        if (!e.is(Errno.EISDIR) && !e.is(Errno.ENOENT)) {
                            throw e;
                        }
                    }
                }
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT)) {
                    return false;
                }
                throw e;
            }
            try {
                FileCalls.unlinkat(parent.fd(), location.name(), AT_REMOVEDIR);
                return true;
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT) || e.is(Errno.ENOTEMPTY)) {
                    return false;
                }
                throw e;
            }
        }
    }

    static boolean exists(FileAreas.Location location) throws IOException {
        try (Descriptor root = openRoot(location)) {
            beneath(location, root, location.relative(), O_PATH | O_NOFOLLOW).close();
            return true;
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                return false;
            }
            throw e;
        }
    }

    /** Creates what is missing of the location's directories, each with {@code mode}; existing ones are left as they are. */
    static void createDirectories(FileAreas.Location location, int mode) throws IOException {
        try (Descriptor root = openRoot(location)) {
            openCreating(location, root, location.names(), mode).close();
        }
    }

    /**
     * The directory (missing parents created {@link #PARENT_MODE}) made {@code uid}'s and 0700, whether it was there or
     * not; true when this call made it.
     */
    static boolean createPrivateDirectory(FileAreas.Location location, int uid) throws IOException {
        try (Descriptor root = openRoot(location);
             Descriptor parent = openCreating(location, root, location.parentNames(), PARENT_MODE)) {
            boolean made = makeDirectory(parent, location.name(), PRIVATE_MODE);
            try (Descriptor directory = beneath(location, parent, location.name(), O_PATH | O_DIRECTORY)) {
                FileCalls.fchownat(directory.fd(), "", uid, -1, AT_EMPTY_PATH);
                FileCalls.chmod(directory.procPath(), PRIVATE_MODE);
            }
            return made;
        }
    }

    /** Walks down {@code names} from {@code from}, creating what is missing with {@code mode}; the last directory's descriptor. */
    private static Descriptor openCreating(FileAreas.Location location, Descriptor from, List<String> names, int mode) throws IOException {
        Descriptor current = beneath(location, from, ".", O_PATH | O_DIRECTORY);
        for (String name : names) {
            try (Descriptor parent = current) {
                current = openOrCreate(location, parent, name, mode);
            }
        }
        return current;
    }

    private static Descriptor openOrCreate(FileAreas.Location location, Descriptor parent, String name, int mode) throws IOException {
        if (!makeDirectory(parent, name, mode)) {
            return beneath(location, parent, name, O_PATH | O_DIRECTORY);
        }
        Descriptor created = beneath(location, parent, name, O_PATH | O_DIRECTORY);
        try {
            FileCalls.chmod(created.procPath(), mode); // mkdirat applied the umask
            return created;
        } catch (LinuxException e) {
            created.close();
            throw e;
        }
    }

    /** mkdirat(2) (the umask applies: callers set the mode after); false when something is there already. */
    private static boolean makeDirectory(Descriptor parent, String name, int mode) throws LinuxException {
        try {
            FileCalls.mkdirat(parent.fd(), name, mode);
            return true;
        } catch (LinuxException e) {
            if (e.is(Errno.EEXIST)) {
                return false;
            }
            throw e;
        }
    }

    /** The location's root directory, checked to be what the location names: not moved since. */
    private static Descriptor openRoot(FileAreas.Location location) throws IOException {
        Descriptor root = new Descriptor(Libc.open(location.root().toString(), O_PATH | O_DIRECTORY | O_CLOEXEC, 0));
        try {
            if (!AllowedDirectories.opened(root.fd()).equals(location.root())) {
                throw RequestRefusedException.refused(location.path() + ": " + location.root() + " moved while the request was checked");
            }
            return root;
        } catch (IOException e) {
            root.close();
            throw e;
        }
    }

    /** {@code relative} opened beneath {@code from}; a symlink or {@code ..} on the way is refused. */
    private static Descriptor beneath(FileAreas.Location location, Descriptor from, String relative, int flags) throws IOException {
        try {
            return new Descriptor(FileCalls.openat2(from.fd(), relative, flags | O_CLOEXEC, 0, RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS));
        } catch (LinuxException e) {
            if (e.is(Errno.ELOOP) || e.is(Errno.EXDEV)) {
                throw RequestRefusedException.refused(location.path() + " is or leads through a symlink beneath " + location.root()
                        + ", which file requests do not follow there");
            }
            throw e;
        }
    }
}
