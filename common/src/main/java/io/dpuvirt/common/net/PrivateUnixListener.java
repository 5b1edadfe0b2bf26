package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.DirectoryLock;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.RenameCalls;
import io.dpuvirt.common.log.Log;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A listening unix socket at a path, with its final permissions from the first moment: it is bound inside a fresh
 * 0700 directory next to the path, given its permissions there, and renamed into place (the JDK cannot set the
 * umask, and a chmod after bind leaves a window). A socket file already at the path is replaced only when nobody
 * accepts connections on it; any other file is left alone. Closing removes the socket file unless another server
 * has put its own there since.
 *
 * <p>The kernel keeps the name a socket was bound to (/proc/net/unix shows the temporary one): a server whose
 * socket udsproxyd must discover binds at its final path instead.
 *
 * @param <T> what listens: a JDK server channel, a {@link NativeSocket}…
 */
public final class PrivateUnixListener<T extends Closeable> implements Closeable {

    /** Makes a listening socket bound at the path given. */
    @FunctionalInterface
    public interface Binder<T> {
        T bind(Path path) throws IOException;
    }

    private static final int PLACING_ATTEMPTS = 3;
    private static final Duration LOCK_PATIENCE = Duration.ofSeconds(2);

    private final Path path;
    private final T socket;
    private final Object fileKey;

    private PrivateUnixListener(Path path, T socket, Object fileKey) {
        this.path = path;
        this.socket = socket;
        this.fileKey = fileKey;
    }

    public static <T extends Closeable> PrivateUnixListener<T> bind(Path path, Set<PosixFilePermission> permissions,
                                                                     Binder<T> binder) throws IOException {
        Path target = path.toAbsolutePath();
        refuseIfInUse(target);
        Path staging = Files.createTempDirectory(target.getParent(), ".bind-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = staging.resolve("s");
        try {
            T socket = binder.bind(bound);
            try {
                Files.setPosixFilePermissions(bound, permissions);
                putInPlace(bound, target);
                return new PrivateUnixListener<>(target, socket, fileKeyOf(target));
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(bound); // ours after a failure, or the dead server's file it replaced
            Files.deleteIfExists(staging);
        }
    }

    /**
     * Renames the bound socket to the target without ever replacing a file that is not the dead server's socket
     * judged above: two servers starting at once both find the path free (or both find the same leftover), and a
     * plain rename would leave the first listening on a socket nobody can reach any more. So an absent target is
     * taken with RENAME_NOREPLACE, and a leftover is swapped out with RENAME_EXCHANGE and checked: when what came out
     * is not the file judged dead, it is swapped back. Either way, a lost race is judged again: usually as a server
     * already listening.
     *
     * <p>Swapping back is right only when no other swap comes between: two servers that both swapped a winner's
     * socket out and put back each other's left a refused server's socket in place, and the winner's in a staging
     * directory to be removed. So servers placing a socket hold the lock of its directory while they judge and swap
     * ({@link DirectoryLock}, a moment each). A holder that keeps it longer ({@code dpuvirt offload} holds the locks of
     * its own directories for a whole command, and any user who can read a directory can lock it) does not keep a
     * server from starting: after {@link #LOCK_PATIENCE} it places its socket unlocked, as other programs do.
     */
    private static void putInPlace(Path bound, Path target) throws IOException {
        Optional<DirectoryLock> lock = lockDirectory(target.getParent());
        try {
            swapIntoPlace(bound, target);
        } finally {
            lock.ifPresent(DirectoryLock::close);
        }
    }

    /** The lock of {@code directory}, or none when another keeps it or this may not read it (mode -wx). */
    private static Optional<DirectoryLock> lockDirectory(Path directory) throws IOException {
        try {
            Optional<DirectoryLock> lock = DirectoryLock.tryAcquire(directory, LOCK_PATIENCE);
            if (lock.isEmpty()) {
                Log.warn("the lock of " + directory + " was held by another for " + LOCK_PATIENCE.toSeconds()
                        + " s: placing a socket there without it");
            }
            return lock;
        } catch (LinuxException e) {
            if (e.is(Errno.EACCES)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private static void swapIntoPlace(Path bound, Path target) throws IOException {
        for (int attempt = 0; attempt < PLACING_ATTEMPTS; attempt++) {
            Optional<Object> leftover = refuseIfInUse(target);
            try {
                if (leftover.isEmpty()) {
                    rename(bound, target, RenameCalls.RENAME_NOREPLACE);
                    return;
                }
                rename(bound, target, RenameCalls.RENAME_EXCHANGE);
                if (leftover.get().equals(fileKeyOf(bound))) {
                    return; // the leftover, now at the staging path, is removed with it
                }
                rename(bound, target, RenameCalls.RENAME_EXCHANGE); // another server's socket: put back
            } catch (LinuxException e) {
                if (!e.is(Errno.EEXIST) && !e.is(Errno.ENOENT)) {
                    throw e; // else the target came or went meanwhile: judged again
                }
            }
        }
        throw new FileAlreadyExistsException(target.toString(), null, "other servers keep replacing it");
    }

    private static void rename(Path from, Path to, int flags) throws LinuxException {
        RenameCalls.renameat2(FileCalls.AT_FDCWD, from.toString(), FileCalls.AT_FDCWD, to.toString(), flags);
    }

    /** A {@link NativeSocket} listener of {@code type}. */
    public static PrivateUnixListener<NativeSocket> listen(Path path, String mode, SocketType type, int backlog) throws IOException {
        return bind(path, PosixFilePermissions.fromString(mode),
                bound -> NativeSocket.listen(new SockAddr.Unix(bound.toString()), type, backlog));
    }

    public T socket() {
        return socket;
    }

    public Path path() {
        return path;
    }

    /** Stops listening and removes the socket file, unless another server has since put its own there. */
    @Override
    public void close() throws IOException {
        socket.close();
        removeFile();
    }

    /** Removes the socket file if it is still this listener's (for callers that close the socket themselves). */
    public void removeFile() throws IOException {
        try {
            if (Objects.equals(fileKeyOf(path), fileKey)) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // already gone: nothing to clean up
        }
    }

    /**
     * Refuses a path where a server listens or that holds another kind of file; else the file key of the socket file
     * left there by a server that died, or nothing when the path is free.
     */
    private static Optional<Object> refuseIfInUse(Path target) throws IOException {
        Object key;
        int mode;
        try {
            key = fileKeyOf(target);
            mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        if ((mode & FileCalls.S_IFMT) != FileCalls.S_IFSOCK) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a socket");
        }
        // a connect that does not wait: a hung server's full backlog would hold a blocking one forever
        try (NativeSocket probe = NativeSocket.connect(new SockAddr.Unix(target.toString()), SocketType.STREAM, Duration.ZERO)) {
            throw new FileAlreadyExistsException(target.toString(), null, "a server is already listening on it");
        } catch (LinuxException e) {
            if (e.is(Errno.EAGAIN) || e.is(Errno.ETIMEDOUT)) {
                throw new FileAlreadyExistsException(target.toString(), null, "a server is already listening on it (its backlog is full)");
            }
            if (e.is(Errno.EPROTOTYPE)) {
                throw new FileAlreadyExistsException(target.toString(), null, "a server of another socket type is listening on it");
            }
            if (!e.is(Errno.ECONNREFUSED)) {
                throw e;
            }
            // nobody listens: the file is left over from a server that died, and is replaced
        }
        return Optional.of(key);
    }

    private static Object fileKeyOf(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
