package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PrivateUnixListener;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;

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

    /** Sends {@code command} to the daemon listening at {@code socket} and returns its answer. */
    public static String ask(Path socket, String command) throws IOException {
        try (NativeSocket client = NativeSocket.connect(new SockAddr.Unix(socket.toString()), SocketType.STREAM);
             Arena arena = Arena.ofConfined()) {
            client.write((command + "\n").getBytes(StandardCharsets.UTF_8));
            client.shutdownOutput();
            StringBuilder answer = new StringBuilder();
            MemorySegment buffer = arena.allocate(8192);
            long n;
            while ((n = client.read(buffer, 8192)) > 0) {
                answer.append(new String(buffer.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
    }

    @Override
    public void close() throws IOException {
        closed = true;
        listener.abort(); // the accept loop closes the socket when it leaves
        binding.removeFile();
    }
}
