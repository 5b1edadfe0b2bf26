package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Files on rexec_server's machine, without a mount: what virtd on the DPU needs of the HOST's (a guest's private
 * directory, its log, a copy of a UEFI nvram template, host facts). Obtained from {@link RexecClient#files()}; each
 * call is one request on a connection of its own. Paths are absolute on the server's machine; the server allows
 * changes beneath its state directories only, and reads beneath those, its output and readable directories and a
 * few host files: elsewhere a call is refused ({@link RequestRefusedException}, naming the path and why).
 *
 * <p>A call that fails on the server throws what java.nio.file would for that errno ({@link NoSuchFileException}
 * for ENOENT, {@link AccessDeniedException}, {@link FileAlreadyExistsException}, else {@link FileSystemException}),
 * its message the path and the errno's description.
 */
public final class RemoteFiles {
    private final RexecClient rexec;

    RemoteFiles(RexecClient rexec) {
        this.rexec = rexec;
    }

    /** The whole file (16 MiB at most: a larger one is refused). */
    public byte[] readFile(Path file) throws IOException {
        FrameReader.Frame answer = request(new FileRequest.Read(file.toString()), Protocol.FILE_DATA);
        byte[] content = new byte[answer.payload().remaining()];
        answer.payload().get(content);
        return content;
    }

    /** Replaces the file all at once (a reader sees the old content or the new one, also after a crash), with {@code mode} (0777 at most). */
    public void writeFile(Path file, byte[] content, int mode) throws IOException {
        request(new FileRequest.Write(file.toString(), mode, ByteString.of(content)), Protocol.DONE);
    }

    /** Removes a file, a symlink (not what it points to) or an empty directory; false if there was nothing. */
    public boolean deleteFile(Path file) throws IOException {
        return request(new FileRequest.Delete(file.toString()), Protocol.BOOLEAN).payload().get(0) != 0;
    }

    /** Whether something is at {@code path} (a symlink followed). */
    public boolean exists(Path path) throws IOException {
        return request(new FileRequest.Exists(path.toString()), Protocol.BOOLEAN).payload().get(0) != 0;
    }

    /** Creates the directory and its missing parents, each with {@code mode} (0777 at most); existing ones stay as they are. */
    public void createDirectories(Path directory, int mode) throws IOException {
        request(new FileRequest.MakeDirectories(directory.toString(), mode), Protocol.DONE);
    }

    /** Makes {@code directory} the server's (its uid's) and mode 0700, creating it and missing parents (0755) if need be. */
    public void createPrivateDirectory(Path directory) throws IOException {
        request(new FileRequest.MakePrivateDirectory(directory.toString()), Protocol.DONE);
    }

    /** Sends the request and returns the server's answer of type {@code expected}; FAILED becomes its exception. */
    private FrameReader.Frame request(FileRequest request, int expected) throws IOException {
        try (Wire wire = rexec.connect(false)) {
            wire.write(request.encode());
            FrameReader.Frame answer = new FrameReader(wire, Protocol.MAX_FILE).next();
            String what = Protocol.typeName(request.type()) + " " + request.path();
            if (answer == null) {
                throw new IOException("rexec_server at " + rexec.socket() + " closed the connection before answering " + what);
            }
            if (answer.type() == Protocol.FAILED) {
                throw failure(request.path(), Failure.decode(answer.payload()));
            }
            if (answer.type() != expected || expected == Protocol.BOOLEAN && answer.payload().remaining() != 1) {
                throw new ProtocolException("rexec_server answered " + what + " with " + answer.describe());
            }
            return answer;
        }
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
