package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PrivateUnixListener;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

/**
 * The daemon's local control socket (mode 0600): a client sends one command line ({@code status} or
 * {@code reload}) and reads the answer until end of stream. {@code udsproxyd --status} and qtcfg use it.
 */
public final class StatusServer implements AutoCloseable {
    /**
     * How long {@link #ask} waits for the whole answer: a stopped (SIGSTOP) or stuck daemon's listening socket still
     * takes connections into its backlog, and its clients (offload up, holding the state lock) must not wait forever.
     */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(5);
    private final PrivateUnixListener<NativeSocket> binding;
    private final NativeSocket listener;
    private final Function<String, String> commands;
    private volatile boolean closed;

    private StatusServer(PrivateUnixListener<NativeSocket> binding, Function<String, String> commands) {
        this.binding = binding;
        this.listener = binding.socket();
        this.commands = commands;
    }

    static StatusServer start(Path path, Function<String, String> commands) throws IOException {
        StatusServer server = new StatusServer(PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 16), commands);
        Thread.ofPlatform().daemon().name("status").start(server::acceptLoop);
        return server;
    }

    private void acceptLoop() {
        try {
            while (!closed) {
                try (NativeSocket client = listener.accept()) {
                    client.setReceiveTimeout(Duration.ofSeconds(2));
                    String command = readLine(client);
                    client.write(commands.apply(command).getBytes(StandardCharsets.UTF_8));
                } catch (IOException e) {
                    if (!closed) {
                        Log.debug("status client: " + e.getMessage());
                    }
                }
            }
        } finally {
            listener.close();
        }
    }

    private static String readLine(NativeSocket client) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(256);
            long filled = 0;
            while (filled < 256) {
                long n = client.read(buffer.asSlice(filled), 256 - filled);
                if (n == 0) {
                    break;
                }
                filled += n;
                if (buffer.get(ValueLayout.JAVA_BYTE, filled - 1) == '\n') {
                    break;
                }
            }
            return new String(buffer.asSlice(0, filled).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8).strip();
        }
    }

    /**
     * Sends {@code command} to the daemon listening at {@code socket} and returns its answer; a daemon that has not
     * answered completely within {@link #ANSWER_WAIT} does not answer.
     */
    public static String ask(Path socket, String command) throws IOException {
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        try (NativeSocket client = connect(socket); Arena arena = Arena.ofConfined()) {
            client.write((command + "\n").getBytes(StandardCharsets.UTF_8)); // a line the socket's buffer takes at once
            client.shutdownOutput();
            ByteArrayOutputStream answer = new ByteArrayOutputStream(); // decoded whole: a character may span two reads
            MemorySegment buffer = arena.allocate(8192);
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || !client.awaitReadable(Duration.ofNanos(left))) {
                    throw noAnswer(socket, "no answer within " + ANSWER_WAIT.toSeconds() + " s");
                }
                long n = client.read(buffer, 8192);
                if (n == 0) {
                    return answer.toString(StandardCharsets.UTF_8);
                }
                answer.writeBytes(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE));
            }
        }
    }

    /** A connect that does not wait for room in the backlog: a full one (EAGAIN) is a daemon that takes no clients. */
    private static NativeSocket connect(Path socket) throws IOException {
        try {
            return NativeSocket.connect(new SockAddr.Unix(socket.toString()), SocketType.STREAM, ANSWER_WAIT);
        } catch (LinuxException e) {
            if (e.is(Errno.EAGAIN)) {
                throw noAnswer(socket, "its backlog of connections is full");
            }
            throw e;
        }
    }

    private static IOException noAnswer(Path socket, String why) {
        return new IOException(socket + ": " + why + " (is the daemon stopped or stuck?)");
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.abort(); // the accept loop closes the socket when it leaves
        binding.removeFile();
    }
}
