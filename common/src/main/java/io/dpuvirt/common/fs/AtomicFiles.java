package io.dpuvirt.common.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
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
     * reboot clears anyway: it saves the cost of two fsyncs per change.
     */
    public static void replace(Path target, byte[] content, Set<PosixFilePermission> permissions) throws IOException {
        replace(target, content, permissions, false);
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

    public static void write(Path target, String content, Set<PosixFilePermission> permissions) throws IOException {
        write(target, content.getBytes(java.nio.charset.StandardCharsets.UTF_8), permissions);
    }

    /** Keeps the existing file's permissions, or 0600 for a new file. */
    public static void write(Path target, String content) throws IOException {
        Set<PosixFilePermission> permissions = Files.exists(target)
                ? Files.getPosixFilePermissions(target)
                : PosixFilePermissions.fromString("rw-------");
        write(target, content, permissions);
    }

    private static void syncDirectory(Path directory) throws IOException {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
