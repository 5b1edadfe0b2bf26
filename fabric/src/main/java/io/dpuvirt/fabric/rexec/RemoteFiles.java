package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Function;

/**
 * Files on rexec_server's machine, without a mount: what virtd on the DPU needs of the HOST's (a guest's private
 * directory, its log, a copy of a UEFI nvram template, host facts). Obtained from {@link RexecClient#files()}; each
 * call is one request, on one of the connections the client keeps. Paths are absolute on the server's machine; the server allows
 * changes beneath its state directories only, and reads beneath those, its output and readable directories and a
 * few host files: elsewhere a call is refused ({@link RequestRefusedException}, naming the path and why).
 *
 * <p>A call that fails on the server throws what java.nio.file would for that errno ({@link NoSuchFileException}
 * for ENOENT, {@link AccessDeniedException}, {@link FileAlreadyExistsException}, else {@link FileSystemException}),
 * its message the path and the errno's description.
 */
public final class RemoteFiles {
    private final ConnectionPool connections;

    RemoteFiles(ConnectionPool connections) {
        this.connections = connections;
    }

    /** The whole file (16 MiB at most: a larger one is refused). */
    public byte[] readFile(Path file) throws IOException {
        return request(new FileRequest.Read(file.toString()), Protocol.FILE_DATA, payload -> {
            byte[] content = new byte[payload.remaining()];
            payload.get(content);
            return content;
        });
    }

    /** Replaces the file all at once (a reader sees the old content or the new one, also after a crash), with {@code mode} (0777 at most). */
    public void writeFile(Path file, byte[] content, int mode) throws IOException {
        request(new FileRequest.Write(file.toString(), mode, ByteString.of(content)), Protocol.DONE, payload -> null);
    }

    /** Removes a file, a symlink (not what it points to) or an empty directory; false if there was nothing. */
    public boolean deleteFile(Path file) throws IOException {
        return request(new FileRequest.Delete(file.toString()), Protocol.BOOLEAN, RemoteFiles::isTrue);
    }

    /** Whether something is at {@code path} (a symlink followed). */
    public boolean exists(Path path) throws IOException {
        return request(new FileRequest.Exists(path.toString()), Protocol.BOOLEAN, RemoteFiles::isTrue);
    }

    /** Creates the directory and its missing parents, each with {@code mode} (0777 at most); existing ones stay as they are. */
    public void createDirectories(Path directory, int mode) throws IOException {
        request(new FileRequest.MakeDirectories(directory.toString(), mode), Protocol.DONE, payload -> null);
    }

    /** Makes {@code directory} the server's (its uid's) and mode 0700, creating it and missing parents (0755) if need be. */
    public void createPrivateDirectory(Path directory) throws IOException {
        request(new FileRequest.MakePrivateDirectory(directory.toString()), Protocol.DONE, payload -> null);
    }

    private static boolean isTrue(ByteBuffer payload) {
        return payload.get(0) != 0;
    }

    /**
     * Sends the request and reads the payload of the server's answer, which must be of type {@code expected};
     * FAILED becomes its exception.
     */
    private <T> T request(FileRequest request, int expected, Function<ByteBuffer, T> result) throws IOException {
        String what = Protocol.typeName(request.type()) + " " + request.path();
        return connections.exchange(request.encode(), what, answer -> {
            if (answer.type() == Protocol.FAILED) {
                throw failure(request.path(), Failure.decode(answer.payload()));
            }
            if (answer.type() != expected || expected == Protocol.BOOLEAN && answer.payload().remaining() != 1) {
                throw new ProtocolException("rexec_server answered " + what + " with " + answer.describe());
            }
            return result.apply(answer.payload());
        });
    }

    private static IOException failure(String path, Failure failure) {
        if (failure.status() < Failure.ERRNO) {
            return RequestRefusedException.of(failure);
        }
        return switch (failure.status() - Failure.ERRNO) {
            case Errno.ENOENT -> new NoSuchFileException(path, null, failure.message());
            case Errno.EACCES, Errno.EPERM -> new AccessDeniedException(path, null, failure.message());
            case Errno.EEXIST -> new FileAlreadyExistsException(path, null, failure.message());
            default -> new FileSystemException(path, null, failure.message());
        };
    }
}
