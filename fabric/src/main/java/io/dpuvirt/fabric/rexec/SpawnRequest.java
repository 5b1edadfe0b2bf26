package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.WindowSize;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What to start: {@code argv} (argv[0] names the program: an absolute path, or a bare name the server looks up in
 * its fixed PATH), the environment as {@code NAME=value} entries, the working directory, stdin, an optional
 * terminal, descriptors to pass, and whether the program is detached. Immutable; the {@code with…} methods return
 * changed copies.
 *
 * @param directory         empty: the server's default, {@code /}
 * @param directoryRequired false: start in {@code /} when {@code directory} does not exist on the server
 * @param terminal          present: the program gets a pseudo-terminal of this size as stdin, stdout and stderr
 * @param stdinFromNull     the program's stdin is /dev/null (nothing is read from the caller)
 * @param detached          present: the program outlives its client, its output goes to these files on the
 *                          server's machine and its stdin is /dev/null (see {@link RexecClient#spawnDetached})
 */
public record SpawnRequest(List<ByteString> argv, List<ByteString> environment, ByteString directory,
                           boolean directoryRequired, Optional<WindowSize> terminal, boolean stdinFromNull,
                           List<PassedFd> fds, Optional<DetachedFiles> detached) implements ClientRequest {
    private static final int TERMINAL = 1, STDIN_NULL = 2, DIRECTORY_REQUIRED = 4, DETACHED = 8;

    public SpawnRequest {
        argv = List.copyOf(argv);
        environment = List.copyOf(environment);
        fds = List.copyOf(fds);
        if (argv.isEmpty() || argv.getFirst().length() == 0) {
            throw new IllegalArgumentException("argv[0] must name the program");
        }
        for (ByteString string : concat(argv, environment, List.of(directory))) {
            if (string.indexOf((byte) 0) >= 0) {
                throw new IllegalArgumentException("arguments, environment and directory cannot contain NUL bytes: " + string);
            }
        }
        if (fds.stream().map(PassedFd::target).distinct().count() != fds.size()) {
            throw new IllegalArgumentException("two passed descriptors have the same target number: " + fds);
        }
        if (detached.isPresent() && (terminal.isPresent() || !stdinFromNull)) {
            throw new IllegalArgumentException("a detached program has no terminal and reads /dev/null: rexec relays none of its stdio");
        }
    }

    /** {@code argv} (UTF-8), an empty environment, the server's default directory, pipes for stdio. */
    public static SpawnRequest of(String... argv) {
        return of(List.of(argv).stream().map(ByteString::of).toList());
    }

    public static SpawnRequest of(List<ByteString> argv) {
        return new SpawnRequest(argv, List.of(), ByteString.EMPTY, false, Optional.empty(), false, List.of(), Optional.empty());
    }

    public SpawnRequest withEnvironment(List<ByteString> entries) {
        return new SpawnRequest(argv, entries, directory, directoryRequired, terminal, stdinFromNull, fds, detached);
    }

    public SpawnRequest withEnvironment(Map<String, String> variables) {
        return withEnvironment(variables.entrySet().stream().map(e -> ByteString.of(e.getKey() + "=" + e.getValue())).toList());
    }

    /** The program starts in {@code directory}, which must exist on the server. */
    public SpawnRequest withDirectory(ByteString directory) {
        return new SpawnRequest(argv, environment, directory, true, terminal, stdinFromNull, fds, detached);
    }

    /** The program starts in {@code directory} if it exists on the server, else in {@code /}. */
    public SpawnRequest withPreferredDirectory(ByteString directory) {
        return new SpawnRequest(argv, environment, directory, false, terminal, stdinFromNull, fds, detached);
    }

    public SpawnRequest withTerminal(WindowSize size) {
        return new SpawnRequest(argv, environment, directory, directoryRequired, Optional.of(size), stdinFromNull, fds, detached);
    }

    public SpawnRequest withStdinFromNull() {
        return new SpawnRequest(argv, environment, directory, directoryRequired, terminal, true, fds, detached);
    }

    public SpawnRequest withFds(List<PassedFd> passed) {
        return new SpawnRequest(argv, environment, directory, directoryRequired, terminal, stdinFromNull, passed, detached);
    }

    /** The program is detached, its output going to {@code output}; its stdin is /dev/null. */
    public SpawnRequest withDetached(DetachedFiles output) {
        return new SpawnRequest(argv, environment, directory, directoryRequired, terminal, true, fds, Optional.of(output));
    }

    /**
     * The SPAWN payload; the descriptors' sources travel beside it (SCM_RIGHTS), in {@link #fds()} order. A detached
     * request ends with its two output paths and its run directory.
     */
    ByteBuffer encode() {
        int size = 2 + 2 + 8 + 4 + 4 + 4 + 4 + directory.length();
        for (ByteString string : concat(argv, environment, detachedPaths())) {
            size += 4 + string.length();
        }
        size += 4 * fds.size();
        if (size > Protocol.MAX_SPAWN) {
            throw new IllegalArgumentException("arguments and environment take " + size + " bytes, more than the " + Protocol.MAX_SPAWN + " allowed");
        }
        ByteBuffer buffer = ByteBuffer.allocate(Protocol.HEADER + size);
        Protocol.putHeader(buffer, Protocol.SPAWN, size);
        int flags = (terminal.isPresent() ? TERMINAL : 0) | (stdinFromNull ? STDIN_NULL : 0) | (directoryRequired ? DIRECTORY_REQUIRED : 0)
                | (detached.isPresent() ? DETACHED : 0);
        buffer.putShort((short) Protocol.VERSION).putShort((short) flags);
        WindowSize window = terminal.orElse(new WindowSize(0, 0, 0, 0));
        buffer.putShort((short) window.rows()).putShort((short) window.columns()).putShort((short) window.xPixels()).putShort((short) window.yPixels());
        putStrings(buffer, argv);
        putStrings(buffer, environment);
        buffer.putInt(directory.length());
        directory.writeTo(buffer);
        buffer.putInt(fds.size());
        for (PassedFd fd : fds) {
            buffer.putInt(fd.target());
        }
        for (ByteString path : detachedPaths()) {
            buffer.putInt(path.length());
            path.writeTo(buffer);
        }
        return buffer.flip();
    }

    private List<ByteString> detachedPaths() {
        // no lambda: this runs on rexec's start-up path, where each one costs a bootstrap
        return detached.isPresent()
                ? List.of(detached.get().stdout(), detached.get().stderr(), detached.get().runDirectory())
                : List.of();
    }

    /** Decodes a SPAWN payload; the descriptors received with it become the sources, in order. */
    static SpawnRequest decode(ByteBuffer payload, int[] receivedFds) throws IOException {
        try {
            int version = Short.toUnsignedInt(payload.getShort());
            if (version != Protocol.VERSION) {
                throw new ProtocolException("client speaks rexec protocol version " + version + ", this server " + Protocol.VERSION);
            }
            int flags = Short.toUnsignedInt(payload.getShort());
            WindowSize size = new WindowSize(Short.toUnsignedInt(payload.getShort()), Short.toUnsignedInt(payload.getShort()),
                    Short.toUnsignedInt(payload.getShort()), Short.toUnsignedInt(payload.getShort()));
            List<ByteString> argv = strings(payload);
            List<ByteString> environment = strings(payload);
            ByteString directory = string(payload);
            int count = payload.getInt();
            if (count != receivedFds.length) {
                throw new ProtocolException("SPAWN names " + count + " descriptors but " + receivedFds.length + " came with it");
            }
            List<PassedFd> fds = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                fds.add(new PassedFd(payload.getInt(), receivedFds[i]));
            }
            Optional<DetachedFiles> detached = (flags & DETACHED) != 0
                    ? Optional.of(new DetachedFiles(string(payload), string(payload), string(payload)))
                    : Optional.empty();
            if (payload.hasRemaining()) {
                throw new ProtocolException("SPAWN has " + payload.remaining() + " bytes after its last field");
            }
            return new SpawnRequest(argv, environment, directory, (flags & DIRECTORY_REQUIRED) != 0,
                    (flags & TERMINAL) != 0 ? Optional.of(size) : Optional.empty(), (flags & STDIN_NULL) != 0, fds, detached);
        } catch (java.nio.BufferUnderflowException | IllegalArgumentException e) {
            throw new ProtocolException("malformed SPAWN: " + (e.getMessage() == null ? "truncated" : e.getMessage()));
        }
    }

    private static void putStrings(ByteBuffer buffer, List<ByteString> strings) {
        buffer.putInt(strings.size());
        for (ByteString string : strings) {
            buffer.putInt(string.length());
            string.writeTo(buffer);
        }
    }

    private static List<ByteString> strings(ByteBuffer payload) throws ProtocolException {
        int count = payload.getInt();
        if (count < 0 || count > payload.remaining() / 4) {
            throw new ProtocolException("malformed SPAWN: " + Integer.toUnsignedString(count) + " strings announced");
        }
        List<ByteString> strings = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            strings.add(string(payload));
        }
        return strings;
    }

    private static ByteString string(ByteBuffer payload) throws ProtocolException {
        int length = payload.getInt();
        if (length < 0 || length > payload.remaining()) {
            throw new ProtocolException("malformed SPAWN: a string of " + Integer.toUnsignedString(length) + " bytes announced");
        }
        return ByteString.read(payload, length);
    }

    private static List<ByteString> concat(List<ByteString> first, List<ByteString> second, List<ByteString> third) {
        List<ByteString> all = new ArrayList<>(first);
        all.addAll(second);
        all.addAll(third);
        return all;
    }
}
