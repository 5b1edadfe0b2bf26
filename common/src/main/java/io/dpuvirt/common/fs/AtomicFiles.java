package io.dpuvirt.common.fs;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.RenameCalls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Writes that either happen completely or not at all: a temporary file in the same directory, fsync, rename
 * over the target, fsync of the directory. A crash at any point leaves the old content or the new one.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    public static void write(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        replace(target, content, permissions, true);
    }

    /**
     * Replaces {@code target} all at once without syncing: readers, and a restarted writer, see the old
     * content or the new one, but a machine crash may lose the change. For state under /run, which a
     * reboot clears anyway: it saves the cost of two fsyncs per change. An existing file is swapped with the new
     * one rather than renamed over (see {@link #exchanged}).
     */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        replace(target, content, permissions, false);
    }

    /**
     * Replaces {@code target} as {@link #replace} does, without creating or removing a file once it exists: the new
     * content is written into a spare file beside it ({@code .NAME.spare}, made the first time with
     * {@code permissions}), and the two are swapped, so that the old content is the next change's spare. On this
     * machine's ext4 a new file costs 0.1–0.5 ms of kernel time (its inode allocation, and the old one's removal),
     * a rewrite of an existing one and the swap tens of microseconds: virtd's state of a running domain changes at
     * every suspend and resume. Only for a file that no other program reads while its writer runs: a reader still
     * holding the old file may see it rewritten by the next change. {@link #deleteWithSpare} removes both.
     */
    public static void replaceViaSpare(Path target, byte[] content, Set<PosixFilePermission> permissions)
            throws IOException {
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            replace(target, content, permissions, false);
            return;
        }
        Path spare = spareOf(target);
        try (FileChannel channel = openSpare(spare, permissions)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer, buffer.position());
            }
            channel.truncate(content.length);
        }
        if (!exchanged(spare, target)) {
            Files.delete(spare);
            replace(target, content, permissions, false);
        }
    }

    /** Removes a file written by {@link #replaceViaSpare}, and its spare. */
    public static void deleteWithSpare(Path target) throws IOException {
        Files.deleteIfExists(spareOf(target));
        Files.deleteIfExists(target);
    }

    private static Path spareOf(Path target) {
        return target.resolveSibling("." + target.getFileName() + ".spare");
    }

    /** The existing spare (never through a symlink), or a new one with exactly {@code permissions}. */
    private static FileChannel openSpare(Path spare, Set<PosixFilePermission> permissions) throws IOException {
        try {
            return FileChannel.open(spare, StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            FileChannel channel = FileChannel.open(spare, Set.of(StandardOpenOption.WRITE,
                    StandardOpenOption.CREATE_NEW), PosixFilePermissions.asFileAttribute(permissions));
            Files.setPosixFilePermissions(spare, permissions); // the umask may have taken some away
            return channel;
        }
    }

    /**
     * Makes the downcall handle of the swap that {@link #replace} uses (milliseconds, the first time): a daemon calls
     * it on a thread of its own while it waits for work, so that the first replacement does not pay for it.
     */
    public static void warmUp() {
        exchanged(Path.of("/"), Path.of("/")); // fails at once (EBUSY: the root cannot be renamed), touching nothing
    }

    private static void replace(Path target, byte[] content, Set<PosixFilePermission> permissions, boolean durable)
            throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temporary = Files.createTempFile(directory, "." + target.getFileName() + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(permissions));
        try {
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                if (durable) {
                    channel.force(true);
                }
            }
            // createTempFile applied the umask-free permissions already; set again in case the file system ignores them
            Files.setPosixFilePermissions(temporary, permissions);
            if (!durable && Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS) && exchanged(temporary, target)) {
                return; // the finally removes the old content, now at the temporary name
            }
            try {
                Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("cannot replace " + target + " atomically: " + e.getMessage(), e);
            }
            if (durable) {
                syncDirectory(directory);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /**
     * Swaps the new file with the existing target (a regular file) in one step, RENAME_EXCHANGE; false where the
     * target went away or the file system cannot swap, and the caller renames. Why not always rename: ext4 writes
     * out a file's delayed blocks when it is renamed over an existing one (its auto_da_alloc, which keeps a crash
     * from leaving an empty file), 0.15–0.45 ms on this machine's disk for a 600-byte state file, against
     * 0.02–0.09 ms for the swap and the removal of the old content. A replacement without sync has given up on a
     * crash's guarantees.
     */
    private static boolean exchanged(Path temporary, Path target) {
        try {
            RenameCalls.renameat2(FileCalls.AT_FDCWD, temporary.toString(), FileCalls.AT_FDCWD, target.toString(),
                    RenameCalls.RENAME_EXCHANGE);
            return true;
        } catch (LinuxException e) {
            return false; // ENOENT: the target went away meanwhile; EINVAL: a file system without the swap
        }
    }

    public static void write(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), permissions);
    }

    /**
     * A configuration file changed as an editor changes it: a symlink at {@code target} stays, and the file it leads
     * to is the one replaced (configuration management often links /etc files to its own); that file keeps its
     * permissions, owner and group. A new file gets 0600.
     */
    public static void edit(Path target, String content) throws IOException {
        Path file = Files.isSymbolicLink(target) ? target.toRealPath() : target;
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            write(file, content, PosixFilePermissions.fromString("rw-------"));
            return;
        }
        PosixFileAttributes existing = Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        int uid = (Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS);
        int gid = (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS);
        write(file, content, existing.permissions());
        if ((Integer) Files.getAttribute(file, "unix:uid", LinkOption.NOFOLLOW_LINKS) != uid
                || (Integer) Files.getAttribute(file, "unix:gid", LinkOption.NOFOLLOW_LINKS) != gid) {
            Files.setAttribute(file, "unix:uid", uid, LinkOption.NOFOLLOW_LINKS);
            Files.setAttribute(file, "unix:gid", gid, LinkOption.NOFOLLOW_LINKS);
        }
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
