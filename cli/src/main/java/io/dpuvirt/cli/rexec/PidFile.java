package io.dpuvirt.cli.rexec;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;

/**
 * {@code /var/run/rexec/pids/<pid of rexec>} holds the remote program's pid while it runs, as the original rexec
 * keeps it (libvirt's patches read it to find qemu's pid on the HOST). The file is locked while rexec lives, so a
 * file whose lock is free was left by a rexec that was killed; each rexec removes such leftovers.
 *
 * <p>It is written on a thread of its own, off the path between start and exit: a program that ends within
 * milliseconds (rexec /bin/true) is not held up by it, and if rexec exits before the file is complete, the next rexec
 * removes what is left.
 */
final class PidFile {
    static final Path DIRECTORY = Path.of("/var/run/rexec/pids");

    private final Path file;
    private final FileChannel channel;

    private PidFile(Path file, FileChannel channel) {
        this.file = file;
        this.channel = channel;
    }

    /** The file being written: removed by {@link #remove()}, or by the writer if it completes after that. */
    static final class Writer {
        private PidFile written;
        private boolean removed;

        synchronized void remove() {
            removed = true;
            if (written != null) {
                written.remove();
            }
        }

        private synchronized void completed(PidFile file) {
            if (file != null && removed) {
                file.remove();
            } else {
                written = file;
            }
        }
    }

    static Writer writeInBackground(long remotePid) {
        Writer writer = new Writer();
        Thread.ofPlatform().daemon().name("rexec-pid-file").start(() -> writer.completed(write(remotePid)));
        return writer;
    }

    /** Writes the file, or returns null when it cannot (not root, read-only /run): it is a convenience, not a duty. */
    private static PidFile write(long remotePid) {
        try {
            long ownPid = ownPid();
            Files.createDirectories(DIRECTORY, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            removeLeftovers(DIRECTORY);
            // locked before it gets its name: another rexec never sees it unlocked and takes it for a leftover
            Path file = DIRECTORY.resolve(Long.toString(ownPid));
            Path unnamed = DIRECTORY.resolve("." + ownPid + ".new");
            FileChannel channel = FileChannel.open(unnamed, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                channel.lock();
                channel.write(java.nio.ByteBuffer.wrap(Long.toString(remotePid).getBytes(StandardCharsets.US_ASCII)));
                Files.move(unnamed, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                return new PidFile(file, channel);
            } catch (IOException e) {
                channel.close();
                Files.deleteIfExists(unnamed);
                throw e;
            }
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * This process's pid, from /proc/self: ProcessHandle.current() would start the JDK's process reaper machinery
     * (a thread pool), some milliseconds of a rexec that lasts fifty.
     */
    private static boolean mayBeLeftover(Path file) {
        String name = file.getFileName().toString();
        if (name.matches("\\d+")) {
            return true;
        }
        return name.matches("\\.\\d+\\.new") && !Files.exists(Path.of("/proc", name.substring(1, name.length() - ".new".length())));
    }

    private static long ownPid() throws IOException {
        try {
            return Long.parseLong(Files.readSymbolicLink(Path.of("/proc/self")).toString());
        } catch (NumberFormatException e) {
            throw new IOException("/proc/self does not name a pid", e);
        }
    }

    private void remove() {
        try {
            Files.deleteIfExists(file);
            channel.close();
        } catch (IOException ignored) {
            // the next rexec removes it
        }
    }

    /**
     * Removes the files of rexecs that are gone: a complete file (PID) is locked while its rexec lives; an unfinished
     * one (.PID.new) is also unlocked for a moment after it is made, so it is left alone while process PID exists
     * (taking it for a leftover then removed a file its rexec was about to lock and name).
     */
    static void removeLeftovers(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(PidFile::mayBeLeftover).toList()) {
                try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                    FileLock lock = channel.tryLock();
                    if (lock != null) {
                        Files.deleteIfExists(file);
                    }
                } catch (IOException ignored) {
                    // removed by another rexec meanwhile
                }
            }
        }
    }
}
