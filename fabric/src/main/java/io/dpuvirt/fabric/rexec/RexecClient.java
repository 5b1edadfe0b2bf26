package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Starts programs through the rexec_server listening at a unix socket: locally, or on the other side when udsproxyd
 * mirrors that socket. This is what the {@code rexec} tool uses, and what virtd uses in-process.
 *
 * <pre>{@code
 * RexecClient rexec = new RexecClient(RexecClient.socketFromEnvironment());
 * try (RemoteProcess qemu = rexec.start(SpawnRequest.of("/usr/bin/qemu-kvm", "-name", "vm1")
 *         .withEnvironment(Map.of("LC_ALL", "C")), OutputSink.discard(), OutputSink.to(logChannel))) {
 *     long hostPid = qemu.pid();
 *     ExitStatus status = qemu.waitFor();
 * }
 * }</pre>
 */
public final class RexecClient {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/rexec/rexec_uds.sock");
    /** The environment variable that names another socket, for the tool and the server alike. */
    public static final String SOCKET_VARIABLE = "REXEC_SOCKET";

    private final Path socket;

    public RexecClient(Path socket) {
        this.socket = socket;
    }

    /** {@code $REXEC_SOCKET}, or {@link #DEFAULT_SOCKET}. */
    public static Path socketFromEnvironment() {
        String configured = System.getenv(SOCKET_VARIABLE);
        return configured == null || configured.isEmpty() ? DEFAULT_SOCKET : Path.of(configured);
    }

    public Path socket() {
        return socket;
    }

    /** Starts the program with its stdout and stderr as streams ({@link RemoteProcess#stdout()}). */
    public RemoteProcess start(SpawnRequest request) throws IOException {
        return start(request, null, null);
    }

    /**
     * Starts the program and returns once it runs. Its output goes to the sinks (null: a stream); a program the
     * server does not start is a {@link SpawnFailedException} naming it and the reason.
     */
    public RemoteProcess start(SpawnRequest request, OutputSink stdout, OutputSink stderr) throws IOException {
        Wire wire = connect(!request.fds().isEmpty());
        try {
            if (wire instanceof NativeWire nativeWire) {
                nativeWire.writeWithFds(request.encode(), request.fds().stream().mapToInt(PassedFd::source).toArray());
            } else {
                wire.write(request.encode());
            }
            FrameReader reader = new FrameReader(wire, Protocol.MAX_DATA);
            String program = request.argv().getFirst().toString();
            FrameReader.Frame answer = reader.next();
            if (answer == null) {
                throw new IOException("rexec_server at " + socket + " closed the connection without starting " + program);
            }
            return switch (answer.type()) {
                case Protocol.STARTED -> new RemoteProcess(wire, reader, answer.payload().getInt(0), program, stdout, stderr);
                case Protocol.FAILED -> throw SpawnFailedException.decode(answer.payload());
                default -> throw new ProtocolException("rexec_server answered SPAWN with " + answer.describe());
            };
        } catch (IOException | RuntimeException e) {
            wire.close();
            throw e;
        }
    }

    private Wire connect(boolean passingFds) throws IOException {
        try {
            return passingFds ? NativeWire.connect(socket) : ChannelWire.connect(socket);
        } catch (IOException e) {
            throw new IOException("cannot reach rexec_server at " + socket + ": " + e.getMessage(), e);
        }
    }
}
