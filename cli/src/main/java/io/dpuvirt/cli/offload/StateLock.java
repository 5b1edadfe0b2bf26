package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.DirectoryLock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * One {@code up} or {@code down} at a time on a side: an exclusive flock(2) on the state directory
 * ({@link DirectoryLock}), held until the command ends. A lock file would outlive {@code down}; the directory itself
 * goes with the last change. A {@code down} may remove it while another command waits: the waiter then holds a lock on
 * a directory no longer at the path, notices, and starts over.
 *
 * <p>Once {@code down} has removed the state directory, its lock keeps nobody out, and the levels above that {@code up}
 * made are still to go. So a level is made in a directory, or removed from it, only by a command that holds that
 * directory's lock: {@code up} makes the missing levels holding the lock of the directory they go in, before it locks
 * the state directory, and {@code down} holds the locks of the levels above its state directory while it removes them
 * ({@link Rollback}). Otherwise an {@code up} that came between the removal of the state directory and that of the
 * level above made its own state directory in that level, which it had found there and did not record: {@code down}
 * then kept the level (no longer empty), and no state recorded it any more. Now that {@code up} waits, finds the level
 * gone, and makes and records it again. No two commands wait for each other: {@code down} waits for the levels' locks
 * while it holds the state directory's, but an {@code up} holds a level's lock only for its mkdir(2)s, and none while
 * it waits for one.
 */
final class StateLock implements AutoCloseable {
    private final DirectoryLock lock;
    private final List<Path> createdDirectories;

    private StateLock(DirectoryLock lock, List<Path> createdDirectories) {
        this.lock = lock;
        this.createdDirectories = List.copyOf(createdDirectories);
    }

    /**
     * Makes {@code directory} where it is missing and locks it (for {@code up}); {@link #createdDirectories()} are
     * the levels this made, outermost first, for the journal to record.
     */
    static StateLock acquireCreating(Path directory, PrintStream err) throws IOException {
        while (true) {
            Optional<List<Path>> created = makeMissingLevels(directory, err);
            if (created.isEmpty()) {
                continue; // a down removed the directory they go in before this locked it: look again
            }
            Optional<DirectoryLock> lock = DirectoryLocks.acquire(directory, err);
            if (lock.isPresent()) {
                return new StateLock(lock.get(), created.get());
            }
            // a down removed it between the two: make it again
        }
    }

    /**
     * Locks {@code directory}, waiting for a command that holds it (said once on {@code err}); empty when there is
     * no such directory (then there is no state either).
     */
    static Optional<StateLock> acquire(Path directory, PrintStream err) throws IOException {
        return DirectoryLocks.acquire(directory, err).map(lock -> new StateLock(lock, List.of()));
    }

    /**
     * Makes the missing levels of {@code directory} holding the lock of the directory they go in; returns those this
     * made, outermost first, or empty when that directory went before this locked it.
     */
    private static Optional<List<Path>> makeMissingLevels(Path directory, PrintStream err) throws IOException {
        List<Path> missing = CreatedPaths.missingDirectories(directory);
        if (missing.isEmpty()) {
            return Optional.of(List.of());
        }
        Optional<DirectoryLock> lock = DirectoryLocks.acquire(missing.getFirst().getParent(), err);
        if (lock.isEmpty()) {
            return Optional.empty();
        }
        try (DirectoryLock _ = lock.get()) {
            return Optional.of(CreatedPaths.makeDirectories(missing));
        } catch (NoSuchFileException e) {
            // a level went between the look and the make, removed by other hands than a down's (which holds the lock of
            // the directory it removes a level from): look again
            return Optional.empty();
        }
    }

    List<Path> createdDirectories() {
        return createdDirectories;
    }

    @Override
    public void close() {
        lock.close();
    }
}
