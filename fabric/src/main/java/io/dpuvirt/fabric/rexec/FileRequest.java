package io.dpuvirt.fabric.rexec;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;

/**
 * A file request: what virtd needs of the files on the server's machine without mounting anything. One frame whose
 * payload is {@code u32 length, path (UTF-8, absolute)}, then the request's own fields.
 * Where the server allows each request is {@link FileAreas}' business; a request checks only its own form.
 */
sealed interface FileRequest extends ClientRequest {
    /** Linux's PATH_MAX. */
    int MAX_PATH = 4096;
    int MAX_PAYLOAD = 4 + MAX_PATH + 4 + Protocol.MAX_FILE;

    String path();

    int type();

    /** The request's fields after the path. */
    default void encodeArguments(ByteBuffer buffer) {
    }

    /** The file's content: answered FILE_DATA. */
    record Read(String path) implements FileRequest {
        public Read {
            checkPath(path);
        }

        @Override
        public int type() {
            return Protocol.FILE_READ;
        }
    }

    /** Replaces the file at once with {@code content} and {@code mode}: {@code u32 mode, content (the rest)}; answered DONE. */
    record Write(String path, int mode, ByteString content) implements FileRequest {
        public Write {
            checkPath(path);
            checkMode(mode);
            if (content.length() > Protocol.MAX_FILE) {
                throw new IllegalArgumentException(path + ": " + content.length() + " bytes, more than the " + Protocol.MAX_FILE
                        + " a file request writes");
            }
        }

        @Override
        public int type() {
            return Protocol.FILE_WRITE;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
            buffer.putInt(mode);
            content.writeTo(buffer);
        }
    }

    /** Removes a file, or an empty directory: answered BOOLEAN, whether something was removed. */
    record Delete(String path) implements FileRequest {
        public Delete {
            checkPath(path);
        }

        @Override
        public int type() {
            return Protocol.FILE_DELETE;
        }
    }

    /** Answered BOOLEAN: whether something is there (a final symlink followed). */
    record Exists(String path) implements FileRequest {
        public Exists {
            checkPath(path);
        }

        @Override
        public int type() {
            return Protocol.FILE_EXISTS;
        }
    }

    /** Creates the directory and any missing parent with {@code mode} ({@code u32 mode}); answered DONE. */
    record MakeDirectories(String path, int mode) implements FileRequest {
        public MakeDirectories {
            checkPath(path);
            checkMode(mode);
        }

        @Override
        public int type() {
            return Protocol.MKDIRS;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
            buffer.putInt(mode);
        }
    }

    /** Creates the directory (and missing parents), or takes an existing one, owned by the server's uid, mode 0700; answered DONE. */
    record MakePrivateDirectory(String path) implements FileRequest {
        public MakePrivateDirectory {
            checkPath(path);
        }

        @Override
        public int type() {
            return Protocol.MKDIR_PRIVATE;
        }
    }

    static boolean isFileRequest(int type) {
        return type >= Protocol.FILE_READ && type <= Protocol.MKDIR_PRIVATE;
    }

    /** Checks a path a request names (also a WATCH's cleanup directory). */
    static void checkPath(String path) {
        if (!path.startsWith("/") || path.indexOf('\0') >= 0 || path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH) {
            throw new IllegalArgumentException("a file request names an absolute path of at most " + MAX_PATH + " bytes without NUL, not "
                    + path.replace("\0", "\\0"));
        }
    }

    /** Permission bits only: setuid, setgid and sticky bits are nothing a client sets on the server's files. */
    private static void checkMode(int mode) {
        if ((mode & ~0777) != 0) {
            throw new IllegalArgumentException("mode 0" + Integer.toOctalString(mode) + " is more than permission bits (0777)");
        }
    }

    /** The request's frame. */
    default ByteBuffer encode() {
        byte[] name = path().getBytes(StandardCharsets.UTF_8);
        int content = this instanceof Write write ? write.content().length() : 0;
        // the fields after the path: a mode at most, and a write's content
        ByteBuffer buffer = ByteBuffer.allocate(Protocol.HEADER + 4 + name.length + 4 + content).position(Protocol.HEADER);
        writePath(buffer, path());
        encodeArguments(buffer);
        Protocol.putHeader(buffer.duplicate().position(0), type(), buffer.position() - Protocol.HEADER);
        return buffer.flip();
    }

    static FileRequest decode(int type, ByteBuffer payload) throws ProtocolException {
        try {
            String path = readPath(payload);
            FileRequest request = switch (type) {
                case Protocol.FILE_READ -> new Read(path);
                case Protocol.FILE_WRITE -> new Write(path, payload.getInt(), ByteString.read(payload, payload.remaining()));
                case Protocol.FILE_DELETE -> new Delete(path);
                case Protocol.FILE_EXISTS -> new Exists(path);
                case Protocol.MKDIRS -> new MakeDirectories(path, payload.getInt());
                case Protocol.MKDIR_PRIVATE -> new MakePrivateDirectory(path);
                default -> throw new IllegalArgumentException("not a file request");
            };
            if (payload.hasRemaining()) {
                throw new IllegalArgumentException(payload.remaining() + " bytes after its last field");
            }
            return request;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new ProtocolException("malformed " + Protocol.typeName(type) + ": " + (e.getMessage() == null ? "truncated" : e.getMessage()));
        }
    }

    /** {@code u32 length, path (UTF-8)}. */
    static void writePath(ByteBuffer buffer, String path) {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        buffer.putInt(name.length).put(name);
    }

    /** What {@link #writePath} wrote; the path is not checked yet. */
    static String readPath(ByteBuffer payload) {
        int length = payload.getInt();
        if (length < 0 || length > MAX_PATH) {
            throw new IllegalArgumentException("a path of " + Integer.toUnsignedString(length) + " bytes");
        }
        if (length > payload.remaining()) {
            throw new BufferUnderflowException();
        }
        String path = utf8(payload.slice(payload.position(), length));
        payload.position(payload.position() + length);
        return path;
    }

    /** Strictly: a path that is not UTF-8 would otherwise name another file, with replacement characters. */
    private static String utf8(ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(bytes).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException("its path is not UTF-8");
        }
    }
}
