package io.dpuvirt.rpc.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A listening unix socket at a path, created with its final permissions from the first moment: it is
 * bound inside a fresh 0700 directory next to the path, given its permissions there, and renamed
 * into place (the JDK cannot set the umask, and a chmod after bind leaves a window). A socket file
 * already at the path is replaced only when nobody accepts connections on it; any other file is left
 * alone.
 */
final class UnixSocketBinding implements AutoCloseable {
    private static final int S_IFMT = 0170000;
    private static final int S_IFSOCK = 0140000;

    private final Path path;
    private final ServerSocketChannel channel;
    private final Object fileKey;

    private UnixSocketBinding(Path path, ServerSocketChannel channel, Object fileKey) {
        this.path = path;
        this.channel = channel;
        this.fileKey = fileKey;
    }

    static UnixSocketBinding bind(Path path, Set<PosixFilePermission> permissions) throws IOException {
        Path target = path.toAbsolutePath();
        refuseIfInUse(target);
        Path privateDir = target.resolveSibling(".rpc-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()));
        Files.createDirectory(privateDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path bound = privateDir.resolve("s");
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(bound));
            Files.setPosixFilePermissions(bound, permissions);
            Files.move(bound, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return new UnixSocketBinding(target, channel, fileKeyOf(target));
        } catch (IOException | RuntimeException e) {
            channel.close();
            Files.deleteIfExists(bound);
            throw e;
        } finally {
            Files.deleteIfExists(privateDir);
        }
    }

    ServerSocketChannel channel() {
        return channel;
    }

    Path path() {
        return path;
    }

    /** Stops listening and removes the socket file, unless another server has since put its own there. */
    @Override
    public void close() throws IOException {
        channel.close();
        try {
            if (Objects.equals(fileKeyOf(path), fileKey)) {
                Files.delete(path);
            }
        } catch (NoSuchFileException e) {
            // already gone: nothing to clean up
        }
    }

    private static void refuseIfInUse(Path target) throws IOException {
        if (!Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        int mode = (Integer) Files.getAttribute(target, "unix:mode", LinkOption.NOFOLLOW_LINKS);
        if ((mode & S_IFMT) != S_IFSOCK) {
            throw new FileAlreadyExistsException(target.toString(), null, "exists and is not a socket");
        }
        SocketChannel probe;
        try {
            probe = SocketChannel.open(UnixDomainSocketAddress.of(target));
        } catch (ConnectException stale) {
            return; // nobody listens: the file is left over from a server that died, and will be replaced
        }
        probe.close();
        throw new FileAlreadyExistsException(target.toString(), null, "a server is already listening on it");
    }

    private static Object fileKeyOf(Path file) throws IOException {
        return Files.readAttributes(file, java.nio.file.attribute.BasicFileAttributes.class,
                LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
