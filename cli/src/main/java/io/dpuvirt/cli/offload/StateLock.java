package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static io.dpuvirt.common.linux.FileCalls.LOCK_EX;
import static io.dpuvirt.common.linux.FileCalls.LOCK_NB;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;

/**
 * One {@code up} or {@code down} at a time on a side: an exclusive flock(2) on the state directory, held until the
 * command ends (the kernel drops it when the process dies, however it dies). A lock file would outlive {@code down};
 * the directory itself goes with the last change. A {@code down} may remove it while another command waits: the
 * waiter then holds a lock on a directory no longer at the path, notices, and starts over.
 *
 * <p>So a state directory is removed only by the command that holds its lock. An {@code up} makes the directory
 * before it locks it, and may do so while a {@code down} that removed its own still removes the levels above: that
 * {@code down} removes them only when empty ({@link Rollback}), so a new state directory stays, and an {@code up}
 * whose level above went before it made its own looks again.
 */
final class StateLock implements AutoCloseable {
    private final int fd;
    private final List<Path> createdDirectories;

    private StateLock(int fd, List<Path> createdDirectories) {
        this.fd = fd;
        this.createdDirectories = List.copyOf(createdDirectories);
    }

    /**
     * Makes {@code directory} where it is missing and locks it (for {@code up}); {@link #createdDirectories()} are
     * the levels this made, outermost first, for the journal to record.
     */
    static StateLock acquireCreating(Path directory, PrintStream err) throws IOException {
        while (true) {
            List<Path> created;
            try {
                created = CreatedPaths.makeDirectories(CreatedPaths.missingDirectories(directory));
            } catch (NoSuchFileException e) {
                continue; // a down removed a level between the look and the make: look again
            }
            Optional<StateLock> lock = lock(directory, created, err);
            if (lock.isPresent()) {
                return lock.get();
            }
            // a down removed it between the two: make it again
        }
    }

    /**
     * Locks {@code directory}, waiting for a command that holds it (said once on {@code err}); empty when there is
     * no such directory (then there is no state either).
     */
    static Optional<StateLock> acquire(Path directory, PrintStream err) throws IOException {
        return lock(directory, List.of(), err);
    }

    private static Optional<StateLock> lock(Path directory, List<Path> created, PrintStream err) throws IOException {
        boolean toldWaiting = false;
        while (true) {
            int fd;
            try {
                fd = Libc.open(directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0);
            } catch (LinuxException e) {
                if (e.is(Errno.ENOENT)) {
                    return Optional.empty();
                }
                throw e;
            }
            try {
                if (!tryLock(fd)) {
                    if (!toldWaiting) {
                        err.println("dpuvirt: another offload up or down runs on this side (it holds " + directory
                                + "): waiting for it to end");
                        toldWaiting = true;
                    }
                    FileCalls.flock(fd, LOCK_EX);
                }
                if (sameDirectory(fd, directory)) {
                    return Optional.of(new StateLock(fd, created));
                }
            } catch (IOException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
            Libc.close(fd); // removed (or replaced) while this waited: lock what is there now
        }
    }

    private static boolean tryLock(int fd) throws LinuxException {
        try {
            FileCalls.flock(fd, LOCK_EX | LOCK_NB);
            return true;
        } catch (LinuxException e) {
            if (e.is(Errno.EAGAIN)) { // EWOULDBLOCK: held by another
                return false;
            }
            throw e;
        }
    }

    /** Whether {@code fd} is still the directory at {@code path} (/proc/self/fd/N stats the descriptor's own). */
    private static boolean sameDirectory(int fd, Path path) throws IOException {
        try {
            return Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:dev,ino")
                    .equals(Files.readAttributes(path, "unix:dev,ino"));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    List<Path> createdDirectories() {
        return createdDirectories;
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
