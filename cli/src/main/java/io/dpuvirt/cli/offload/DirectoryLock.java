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
import java.util.Optional;

import static io.dpuvirt.common.linux.FileCalls.LOCK_EX;
import static io.dpuvirt.common.linux.FileCalls.LOCK_NB;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;

/**
 * An exclusive flock(2) on a directory, held until closed (the kernel drops it when the process dies, however it
 * dies). The directory may be removed while a command waits for it: the waiter then holds a lock on a directory no
 * longer at the path, notices, and locks what is there now.
 */
final class DirectoryLock implements AutoCloseable {
    private final int fd;

    private DirectoryLock(int fd) {
        this.fd = fd;
    }

    /**
     * Locks the directory at {@code directory}, waiting for a command that holds it (said once on {@code err}); empty
     * when there is no such directory.
     */
    static Optional<DirectoryLock> acquire(Path directory, PrintStream err) throws IOException {
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
                    return Optional.of(new DirectoryLock(fd));
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

    @Override
    public void close() {
        Libc.close(fd);
    }
}
