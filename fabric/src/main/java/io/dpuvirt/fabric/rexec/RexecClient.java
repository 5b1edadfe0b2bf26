package io.dpuvirt.fabric.rexec;

import io.dpuvirt.fabric.udsproxy.PeerSockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.concurrent.CompletableFuture;

/**
 * Starts programs through the rexec_server listening at a unix socket: locally, or on the other side when udsproxyd
 * mirrors that socket, or through the other side's udsproxyd directly ({@link PeerSockets}). This is what the
 * {@code rexec} tool uses, and what virtd uses in-process.
 *
 * <pre>{@code
 * RexecClient rexec = new RexecClient(RexecClient.socketFromEnvironment());
 * try (RemoteProcess qemu = rexec.start(SpawnRequest.of("/usr/bin/qemu-kvm", "-name", "vm1")
 *         .withEnvironment(Map.of("LC_ALL", "C")), OutputSink.discard(), OutputSink.to(logChannel))) {
 *     long hostPid = qemu.pid();
 *     ExitStatus status = qemu.waitFor();
 * }
 * }</pre>
 *
 * <p>A detached program outlives this client, its connection and the server, once its start is confirmed (at once by
 * {@link #spawnDetached}, by the caller of {@link #startDetached}); it is named by its {@link ProgramId},
 * which this process, or another after a restart, passes to {@link #status}, {@link #signal}, {@link #watch},
 * {@link #setAffinity} and {@link #cpuTime}. The server refuses (a {@link RequestRefusedException}) any id that is
 * not one of its running detached programs.
 *
 * <p>{@link #files()} reads and changes files on the server's machine, within the directories it allows.
 *
 * <p>A started program and a watch have a connection of their own. The other requests, answered at once, go over
 * the few connections the client keeps ({@link ConnectionPool}: a kept connection that broke meanwhile is replaced
 * without the caller noticing, where sending the request again is safe); {@link #close()} closes them. Thread-safe.
 */
public final class RexecClient implements AutoCloseable {
    public static final Path DEFAULT_SOCKET = Path.of("/var/run/rexec/rexec_uds.sock");
    /** The environment variable that names another socket, for the tool and the server alike. */
    public static final String SOCKET_VARIABLE = "REXEC_SOCKET";

    private static final String UNCONFIRMED = "it kills it: the start was not confirmed";

    private final Path socket;
    private final PeerSockets through;
    private final ConnectionPool requests;

    /** The rexec_server listening at {@code socket} here (udsproxyd's mirror, for one on the other side). */
    public RexecClient(Path socket) {
        this(socket, null);
    }

    /**
     * The rexec_server listening at {@code socket} on the peer's side, reached {@code through} the peer's udsproxyd
     * (null: at {@code socket} here). Descriptors cannot be passed that way ({@link SpawnRequest#fds()}).
     */
    public RexecClient(Path socket, PeerSockets through) {
        this.socket = socket;
        this.through = through;
        this.requests = new ConnectionPool(socket, through);
    }

    /** {@code $REXEC_SOCKET}, or {@link #DEFAULT_SOCKET}. */
    public static Path socketFromEnvironment() {
        String configured = System.getenv(SOCKET_VARIABLE);
        return configured == null || configured.isEmpty() ? DEFAULT_SOCKET : Path.of(configured);
    }

    public Path socket() {
        return socket;
    }

    /** Files on the server's machine. */
    public RemoteFiles files() {
        return new RemoteFiles(requests);
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
                throw unanswered(program, "it ends it: its client is gone", null);
            }
            return switch (answer.type()) {
                case Protocol.STARTED -> new RemoteProcess(wire, reader, ProgramId.decode(answer.payload()).pid(), program, stdout, stderr);
                case Protocol.FAILED -> throw SpawnFailedException.of(Failure.decode(answer.payload()));
                default -> throw new ProtocolException("rexec_server answered SPAWN with " + answer.describe());
            };
        } catch (IOException | RuntimeException e) {
            wire.close();
            throw e;
        }
    }

    /**
     * Starts the program detached and returns once it runs: its stdin is /dev/null, its stdout and stderr go to
     * {@code output}'s files on the server's machine, and it runs on whatever happens to this process, the link or
     * the server (the start is confirmed before this returns). A program the server does not start is a
     * {@link SpawnFailedException}, as for {@link #start}.
     */
    public ProgramId spawnDetached(SpawnRequest request, DetachedFiles output) throws IOException {
        SpawnRequest detached = request.withDetached(output);
        try (Wire wire = connect(!detached.fds().isEmpty())) {
            FrameReader reader = new FrameReader(wire, Protocol.MAX_ANSWER);
            ProgramId program = sendDetached(wire, reader, detached);
            try {
                confirm(wire, program);
            } catch (IOException e) {
                // a program that ended at once: the server told the end and closed, the CONFIRM found no reader
                FrameReader.Frame next = reader.next();
                if (next == null || next.type() != Protocol.EXITED) {
                    throw e;
                }
            }
            return program;
        }
    }

    /**
     * A detached program just started by {@link #startDetached}, and its end as the connection that started it
     * tells. Until {@link #confirm()} the program lives only as long as that connection: the server kills it when
     * the connection ends first (this process gone, the link cut), since its client could not have known it runs.
     */
    public static final class Detached {
        private final ProgramId program;
        private final CompletableFuture<ProgramState.Ended> end;
        private final Wire wire;

        private Detached(ProgramId program, CompletableFuture<ProgramState.Ended> end, Wire wire) {
            this.program = program;
            this.end = end;
            this.wire = wire;
        }

        public ProgramId program() {
            return program;
        }

        public CompletableFuture<ProgramState.Ended> end() {
            return end;
        }

        /**
         * The start is complete: from now the program outlives the connection, this process, the link and the
         * server. It may still be lost with the connection after this write; the server then kills the program, and
         * {@link #end()} (or a later watch) tells that end.
         */
        public void confirm() throws IOException {
            RexecClient.confirm(wire, program);
        }
    }

    /**
     * As {@link #spawnDetached}, keeping the connection that started the program as its watch ({@link #watch}): the
     * server says EXITED on it when the program ends, after removing {@code output}'s run directory (if one is
     * named) with its files. A start and its watch in one connection: no second one to open per program. The start
     * is the caller's to confirm ({@link Detached#confirm()}), once whatever it belongs to has succeeded.
     */
    public Detached startDetached(SpawnRequest request, DetachedFiles output) throws IOException {
        SpawnRequest detached = request.withDetached(output);
        if (!detached.fds().isEmpty()) { // passed with the request on a connection of its own
            Wire wire = connect(true);
            FrameReader reader = new FrameReader(wire, Protocol.MAX_ANSWER);
            ProgramId program = startedOrClose(wire, reader, detached);
            return new Detached(program, awaitEnd(wire, reader, program), wire);
        }
        // a kept connection, when there is one: the SPAWN is read by the thread already waiting on it on the other side
        ConnectionPool.Connection connection = requests.sendKeepingConnection(detached.encode());
        ProgramId program;
        try {
            program = started(connection.reader(), detached);
        } catch (IOException | RuntimeException e) {
            connection.close();
            throw e;
        }
        requests.openAheadIfNoneKept(); // for the next request about the program (its SIGNAL at the end)
        return new Detached(program, awaitEnd(connection.wire(), connection.reader(), program), connection.wire());
    }

    private ProgramId sendDetached(Wire wire, FrameReader reader, SpawnRequest detached) throws IOException {
        if (wire instanceof NativeWire nativeWire) {
            nativeWire.writeWithFds(detached.encode(), detached.fds().stream().mapToInt(PassedFd::source).toArray());
        } else {
            wire.write(detached.encode());
        }
        return started(reader, detached);
    }

    private ProgramId startedOrClose(Wire wire, FrameReader reader, SpawnRequest detached) throws IOException {
        try {
            return sendDetached(wire, reader, detached);
        } catch (IOException | RuntimeException e) {
            wire.close();
            throw e;
        }
    }

    /**
     * The server may have started the program or not: this side cannot know. If it did, it ends it ({@code ifStarted}:
     * an attached program's client is gone, a detached one's start unconfirmed).
     */
    private IOException unanswered(String program, String ifStarted, IOException cause) {
        String what = cause == null ? "rexec_server at " + socket + " closed the connection before answering"
                : "the connection to rexec_server at " + socket + " was lost before it answered";
        return new IOException(what + " whether it started " + program + " (if it did, " + ifStarted + ")"
                + (cause == null ? "" : ": " + cause.getMessage()), cause);
    }

    /** The answer to a detached SPAWN: the program's id once it runs, or the refusal. */
    private ProgramId started(FrameReader reader, SpawnRequest detached) throws IOException {
        String program = detached.argv().getFirst().toString();
        FrameReader.Frame answer;
        try {
            answer = reader.next();
        } catch (ProtocolException e) {
            throw e;
        } catch (IOException e) { // the link lost (ETIMEDOUT), the server killed (ECONNRESET)
            throw unanswered(program, UNCONFIRMED, e);
        }
        if (answer == null) {
            throw unanswered(program, UNCONFIRMED, null);
        }
        return switch (answer.type()) {
            case Protocol.STARTED -> ProgramId.decode(answer.payload());
            case Protocol.FAILED -> throw SpawnFailedException.of(Failure.decode(answer.payload()));
            default -> throw new ProtocolException("rexec_server answered a detached SPAWN with " + answer.describe());
        };
    }

    /** CONFIRM on the connection that started {@code program}: without it the server kills the program when that connection ends. */
    private static void confirm(Wire wire, ProgramId program) throws IOException {
        ByteBuffer frame = ByteBuffer.allocate(Protocol.HEADER);
        Protocol.putHeader(frame, Protocol.CONFIRM, 0);
        try {
            wire.write(frame.flip());
        } catch (IOException e) {
            throw new IOException("the connection that started detached " + program + " was lost before its start was confirmed;"
                    + " rexec_server kills it: " + e.getMessage(), e);
        }
    }

    /** Whether the detached program runs, or how it ended. */
    public ProgramState status(ProgramId program) throws IOException {
        return request(new ProgramRequest.Status(program), answer -> switch (answer.type()) {
            case Protocol.RUNNING -> new ProgramState.Running();
            case Protocol.EXITED -> ProgramState.Ended.decode(answer.payload());
            default -> throw unexpected(answer);
        });
    }

    /** Sends {@code signal} to the detached program itself (not its process group). */
    public void signal(ProgramId program, int signal) throws IOException {
        expectDone(new ProgramRequest.Signal(program, signal));
    }

    /**
     * As {@link #signal}, but returns once the request is sent (on this thread): the future completes with the
     * answer, exceptionally with the refusal or a broken connection. For a caller that waits for the signal's effect.
     */
    public CompletableFuture<Void> signalAnsweredLater(ProgramId program, int signal) throws IOException {
        ProgramRequest request = new ProgramRequest.Signal(program, signal);
        return requests.exchangeAnsweredLater(request.encode(), describe(request), frame -> done(accepted(frame)));
    }

    /**
     * Completes when the detached program ends (at once if it has); exceptionally when the server refuses, or the
     * connection breaks first (server stopped, link cut): then watch again. Cancelling closes the connection.
     */
    public CompletableFuture<ProgramState.Ended> watch(ProgramId program) throws IOException {
        return watch(new ProgramRequest.Watch(program));
    }

    /**
     * As {@link #watch(ProgramId)}; and once the program has ended, the server removes {@code runDirectory} (beneath
     * one of its --state-dir) with the files in it before it answers: the end and the cleanup in one round trip.
     * Where the server no longer knows the program (it ended long ago), the directory is removed and the watch
     * refused as for any program gone.
     */
    public CompletableFuture<ProgramState.Ended> watch(ProgramId program, Path runDirectory) throws IOException {
        return watch(new ProgramRequest.Watch(program, runDirectory.toString()));
    }

    private CompletableFuture<ProgramState.Ended> watch(ProgramRequest.Watch request) throws IOException {
        Wire wire = connect(false);
        try {
            wire.write(request.encode());
        } catch (IOException e) {
            wire.close();
            throw e;
        }
        return awaitEnd(wire, new FrameReader(wire, Protocol.MAX_ANSWER), request.program());
    }

    /** EXITED (or a refusal) read off a watching connection, which is closed once it has come or failed. */
    private CompletableFuture<ProgramState.Ended> awaitEnd(Wire wire, FrameReader reader, ProgramId program) {
        CompletableFuture<ProgramState.Ended> end = new CompletableFuture<>();
        end.whenComplete((ended, failure) -> wire.close());
        // a platform thread: reads through the peer's udsproxyd are native calls, which would hold a virtual thread's carrier
        Thread.ofPlatform().daemon().name("rexec-watch-" + program.pid()).start(() -> {
            try {
                FrameReader.Frame answer = reader.next();
                if (answer == null) {
                    throw new IOException("rexec_server at " + socket + " closed the connection before answering about " + program);
                }
                if (accepted(answer).type() != Protocol.EXITED) {
                    throw unexpected(answer);
                }
                end.complete(ProgramState.Ended.decode(answer.payload()));
            } catch (IOException | RuntimeException e) { // a malformed answer too: the watch fails, and is made again
                end.completeExceptionally(e);
            }
        });
        return end;
    }

    /** Restricts thread {@code thread} of the detached program (its pid for the main thread) to {@code cpus}. */
    public void setAffinity(ProgramId program, int thread, BitSet cpus) throws IOException {
        expectDone(new ProgramRequest.Affinity(program, thread, cpus));
    }

    /** User and system CPU time of all the detached program's threads (at the resolution of /proc, 10 ms). */
    public Duration cpuTime(ProgramId program) throws IOException {
        return request(new ProgramRequest.CpuTime(program), answer -> {
            if (answer.type() != Protocol.CPU_TIME) {
                throw unexpected(answer);
            }
            return Duration.ofNanos(answer.payload().getLong(0));
        });
    }

    private void expectDone(ProgramRequest request) throws IOException {
        request(request, RexecClient::done);
    }

    private static Void done(FrameReader.Frame answer) throws ProtocolException {
        if (answer.type() != Protocol.DONE) {
            throw unexpected(answer);
        }
        return null;
    }

    /** Sends the request on a kept connection and reads its answer, FAILED becoming the refusal it carries. */
    private <T> T request(ProgramRequest request, ConnectionPool.Answer<T> answer) throws IOException {
        return requests.exchange(request.encode(), describe(request), frame -> answer.read(accepted(frame)));
    }

    private static String describe(ProgramRequest request) {
        return Protocol.typeName(request.type()) + " about " + request.program();
    }

    /** The answer, unless it is FAILED: then the refusal it carries. */
    private static FrameReader.Frame accepted(FrameReader.Frame answer) throws RequestRefusedException {
        if (answer.type() == Protocol.FAILED) {
            throw RequestRefusedException.of(Failure.decode(answer.payload()));
        }
        return answer;
    }

    private static ProtocolException unexpected(FrameReader.Frame answer) {
        return new ProtocolException("rexec_server answered with an unexpected " + answer.describe());
    }

    private Wire connect(boolean passingFds) throws IOException {
        if (passingFds && through != null) {
            throw new IOException("descriptors cannot be passed to rexec_server at " + socket + " through " + through.peer()
                    + ": only through udsproxyd's mirror of its socket");
        }
        try {
            return passingFds ? NativeWire.connect(socket) : Wire.connect(socket, through);
        } catch (IOException e) {
            throw unreachable(socket, e);
        }
    }

    static IOException unreachable(Path socket, IOException cause) {
        return new IOException("cannot reach rexec_server at " + socket + ": " + cause.getMessage(), cause);
    }

    /** Closes the connections kept for requests; programs started and watches keep theirs. */
    @Override
    public void close() {
        requests.close();
    }
}
