package io.dpuvirt.common.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static io.dpuvirt.common.linux.FileCalls.LOCK_EX;
import static io.dpuvirt.common.linux.FileCalls.LOCK_NB;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;

/**
 * An exclusive flock(2) on a directory, held until closed (the kernel drops it when the process dies, however it
 * dies). It leaves no file behind, and it excludes other threads of the same process too, each lock being its own open
 * file description. The directory may be removed while a caller waits for it: the waiter then holds a lock on a
 * directory no longer at the path, notices, and locks what is there now.
 */
public final class DirectoryLock implements AutoCloseable {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final int fd;

    private DirectoryLock(int fd) {
        this.fd = fd;
    }

    /**
     * Locks the directory at {@code directory}, waiting as long as another holds it ({@code whenWaiting} runs once,
     * before the wait); empty when there is no such directory.
     */
    public static Optional<DirectoryLock> acquire(Path directory, Runnable whenWaiting) throws IOException {
        boolean[] toldWaiting = {false};
        return acquire(directory, fd -> {
            if (!toldWaiting[0]) {
                whenWaiting.run();
                toldWaiting[0] = true;
            }
            FileCalls.flock(fd, LOCK_EX);
            return true;
        });
    }

    /**
     * Locks the directory at {@code directory} if another lets it go within {@code patience}; empty when there is no
     * such directory or it is still held then.
     */
    public static Optional<DirectoryLock> tryAcquire(Path directory, Duration patience) throws IOException {
        long deadline = System.nanoTime() + patience.toNanos();
        return acquire(directory, fd -> {
            do { // flock(2) cannot time out: a held lock is polled for
                if (System.nanoTime() - deadline >= 0) {
                    return false;
                }
                LockSupport.parkNanos(POLL_NANOS);
            } while (!tryLock(fd));
            return true;
        });
    }

    /** How a caller waits for a lock another holds: whether it got it. */
    @FunctionalInterface
    private interface Waiting {
        boolean lock(int fd) throws LinuxException;
    }

    private static Optional<DirectoryLock> acquire(Path directory, Waiting waiting) throws IOException {
        while (true) {
            Optional<Integer> opened = open(directory);
            if (opened.isEmpty()) {
                return Optional.empty();
            }
            int fd = opened.get();
            try {
                if (!tryLock(fd) && !waiting.lock(fd)) {
                    Libc.close(fd);
                    return Optional.empty();
                }
                if (sameDirectory(fd, directory)) {
                    return Optional.of(new DirectoryLock(fd));
                }
            } catch (IOException | RuntimeException e) {
                Libc.close(fd);
                throw e;
            }
            Libc.close(fd); // removed (or replaced) while this waited: lock what is there now
        }
    }

    private static Optional<Integer> open(Path directory) throws LinuxException {
        try {
            return Optional.of(Libc.open(directory.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC, 0));
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT)) {
                return Optional.empty();
            }
            throw e;
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

    /**
     * Whether {@code fd} is still the directory at {@code path} (/proc/self/fd/N stats the descriptor's own; without
     * /proc this fails at once, instead of taking every lock for one of a removed directory and trying forever).
     */
    private static boolean sameDirectory(int fd, Path path) throws IOException {
        Object locked = Files.readAttributes(Path.of("/proc/self/fd/" + fd), "unix:dev,ino");
        try {
            return locked.equals(Files.readAttributes(path, "unix:dev,ino"));
        } catch (NoSuchFileException e) {
            return false;
        }
    }

    @Override
    public void close() {
        Libc.close(fd);
    }
}
