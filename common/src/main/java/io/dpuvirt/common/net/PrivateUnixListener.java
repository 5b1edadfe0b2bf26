package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A listening unix socket that is never reachable with wider permissions than asked: it is bound inside a fresh
 * 0700 directory, given its mode there, and only then renamed into place. A stale socket file at the path (its
 * server died) is replaced; a live one is an error, so two daemons never steal each other's socket.
 */
public final class PrivateUnixListener {
    private PrivateUnixListener() {
    }

    public static NativeSocket listen(Path path, String mode, SocketType type, int backlog) throws IOException {
        refuseIfInUse(path, type);
        Path staging = Files.createTempDirectory(path.toAbsolutePath().getParent(), ".bind-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path temporary = staging.resolve("s");
            NativeSocket socket = NativeSocket.listen(new SockAddr.Unix(temporary.toString()), type, backlog);
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString(mode));
                Files.move(temporary, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return socket;
            } catch (IOException e) {
                socket.close();
                throw e;
            }
        } finally {
            Files.deleteIfExists(staging.resolve("s"));
            Files.deleteIfExists(staging);
        }
    }

    private static void refuseIfInUse(Path path, SocketType type) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (NativeSocket probe = NativeSocket.connect(new SockAddr.Unix(path.toString()), type)) {
            throw new IOException(path + " is in use by a running server");
        } catch (LinuxException e) {
            if (!e.is(Errno.ECONNREFUSED) && !e.is(Errno.ENOENT)) {
                throw new IOException("cannot take over " + path + ": " + e.getMessage(), e);
            }
        }
    }
}
