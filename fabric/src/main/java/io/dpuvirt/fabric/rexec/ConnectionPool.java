package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.udsproxy.PeerSockets;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.concurrent.CompletableFuture;

/**
 * The connections a {@link RexecClient} keeps for the requests the server answers at once (about detached programs,
 * and file requests): each lent to one caller for one request and its answer, then kept for the next request, up
 * to {@link #MAX_IDLE} idle at a time; more callers at once open more connections, which are closed after their
 * request. Across hosts a new connection costs a stream through udsproxyd and a connect and a thread on the other
 * side; a kept one costs a frame each way. Thread-safe.
 *
 * <p>A kept connection may break while it is idle (the server restarted, the link was cut). One that shows it (end
 * of stream) is closed before use. One that breaks while it is used (the write fails, or end of stream comes before
 * the answer) is closed, and the request sent once more on a new connection, if that is safe: when the request
 * could not be written whole (the server never acted on it), or when it can be repeated. A SIGNAL could reach the
 * program twice, and a FILE_DELETE done twice answers false the second time: the caller gets the error instead.
 * The server closes connections idle for a minute; a connection is kept for {@link #MAX_IDLE_NANOS} only, so that a
 * request never races that close.
 *
 * <p>A request whose answer keeps its connection (a detached SPAWN: the connection then watches the program) takes
 * a kept connection for good ({@link #sendKeepingConnection}); once it is answered, a new one may be opened ahead
 * in its place ({@link #openAheadIfNoneKept}). The server drops a connection that says nothing for
 * {@link RequestReceiver#TIMEOUT}: one opened ahead is kept half as long.
 */
final class ConnectionPool implements AutoCloseable {
    static final int MAX_IDLE = 4;
    /**
     * Half the server's idle timeout ({@link RexecServerConfig#DEFAULT_IDLE_TIMEOUT}). Plain nanoseconds: the rexec
     * client runs interpreted, where {@code Duration.dividedBy} (BigDecimal arithmetic) costs some 65 ms.
     */
    static final long MAX_IDLE_NANOS = RexecServerConfig.DEFAULT_IDLE_TIMEOUT.toNanos() / 2;
    /** A connection opened ahead has no request yet: the server waits {@link RequestReceiver#TIMEOUT} for its first. */
    static final long MAX_AHEAD_NANOS = RequestReceiver.TIMEOUT.toNanos() / 2;

    /** Reads the answer while the connection is still the caller's (a frame's payload is a view into its buffer). */
    interface Answer<T> {
        T read(FrameReader.Frame frame) throws IOException;
    }

    /** A connection with the reader of its answers. */
    record Connection(Wire wire, FrameReader reader) {
        void close() {
            wire.close();
        }
    }

    /** A connection kept since {@code since}, usable for {@code maxIdleNanos}. */
    private record Idle(Connection connection, long since, long maxIdleNanos) {
        boolean tooOld(long now) {
            return now - since > maxIdleNanos;
        }
    }

    private final Path socket;
    private final PeerSockets through;
    /** Most recently used first. */
    private final Deque<Idle> idle = new ArrayDeque<>();
    private boolean closed;

    /** Connections to the server at {@code socket}: here, or on the peer's side {@code through} its udsproxyd (if not null). */
    ConnectionPool(Path socket, PeerSockets through) {
        this.socket = socket;
        this.through = through;
    }

    /**
     * Sends {@code request} (one frame) and reads its answer; {@code what} names the request in the error when the
     * server closes the connection before answering.
     */
    <T> T exchange(ByteBuffer request, String what, Answer<T> answer) throws IOException {
        Connection connection = takeIdle();
        boolean kept = connection != null;
        while (true) {
            if (connection == null) {
                connection = connect();
            }
            boolean written = false;
            FrameReader.Frame frame;
            try {
                connection.wire().write(request.duplicate());
                written = true;
                frame = nextAnswer(connection, what);
            } catch (IOException e) {
                connection.close();
                if (kept && (!written || repeatable(Protocol.type(request, 0)))) {
                    Log.debug("a kept connection to rexec_server at " + socket + " broke (" + e.getMessage() + "): " + what + " again on a new one");
                    kept = false; // once: a new connection that breaks is the caller's error
                    connection = null;
                    continue;
                }
                throw e;
            }
            try {
                return answer.read(frame);
            } finally {
                giveBack(connection); // the answer was read whole, whatever it says: the connection is ready for the next
            }
        }
    }

    /**
     * Sends {@code request} (one frame) on this thread, as {@link #sendKeepingConnection} does, and reads its answer
     * on a virtual thread: for a caller that waits for the request's effect rather than its answer (a SIGNAL, whose
     * effect is the program's end), and so need not wait for a thread to be scheduled before the request leaves.
     * The connection is kept again once the answer is read whole; a broken one fails the future.
     */
    <T> CompletableFuture<T> exchangeAnsweredLater(ByteBuffer request, String what, Answer<T> answer) throws IOException {
        Connection connection = sendKeepingConnection(request);
        CompletableFuture<T> result = new CompletableFuture<>();
        Thread.ofVirtual().name("rexec-answer").start(() -> {
            FrameReader.Frame frame;
            try {
                frame = nextAnswer(connection, what);
            } catch (IOException e) {
                connection.close();
                result.completeExceptionally(e);
                return;
            }
            try {
                result.complete(answer.read(frame));
            } catch (IOException | RuntimeException e) {
                result.completeExceptionally(e);
            } finally {
                giveBack(connection);
            }
        });
        return result;
    }

    private FrameReader.Frame nextAnswer(Connection connection, String what) throws IOException {
        FrameReader.Frame frame = connection.reader().next();
        if (frame == null) {
            throw new EOFException("rexec_server at " + socket + " closed the connection before answering " + what);
        }
        return frame;
    }

    /**
     * Sends {@code request} (one frame) on a kept connection that still looks sound, or a new one, and hands that
     * connection over: for a request whose answer keeps it (a detached SPAWN, whose connection then watches the
     * program). Across hosts that spares the stream through udsproxyd, the connect and the thread a new connection
     * costs on the other side. A kept connection whose write fails is replaced by a new one (the server never read
     * the request); once written, a failure is the caller's, since the server may have acted on it.
     */
    Connection sendKeepingConnection(ByteBuffer request) throws IOException {
        Connection kept = takeIdle();
        if (kept != null) {
            try {
                kept.wire().write(request.duplicate());
                return kept;
            } catch (IOException e) {
                kept.close();
                Log.debug("a kept connection to rexec_server at " + socket + " broke (" + e.getMessage() + "): on a new one");
            }
        }
        Connection fresh = connect();
        try {
            fresh.wire().write(request.duplicate());
            return fresh;
        } catch (IOException e) {
            fresh.close();
            throw e;
        }
    }

    /**
     * With no kept connection left (the last one was taken by {@link #sendKeepingConnection}), opens one on a thread of
     * its own and keeps it, so that the next request (the SIGNAL that ends what was started) does not wait for a
     * connect either; called once the start is answered, so as not to compete with it.
     */
    void openAheadIfNoneKept() {
        synchronized (idle) {
            if (closed || !idle.isEmpty()) {
                return;
            }
        }
        Thread.ofVirtual().name("rexec-connect-ahead").start(this::openAhead);
    }

    private void openAhead() {
        try {
            keep(connect(), MAX_AHEAD_NANOS);
        } catch (IOException e) {
            Log.debug("cannot open a connection ahead to rexec_server at " + socket + ": " + e.getMessage());
        }
    }

    /** All but SIGNAL and FILE_DELETE: the same answer, and the same effect, however often they are sent. */
    private static boolean repeatable(int type) {
        return type != Protocol.DETACHED_SIGNAL && type != Protocol.FILE_DELETE;
    }

    /** A kept connection that still looks sound, or null. */
    private Connection takeIdle() {
        long now = System.nanoTime();
        while (true) {
            Idle next;
            synchronized (idle) {
                next = idle.pollFirst();
            }
            if (next == null) {
                return null;
            }
            if (!next.tooOld(now) && next.connection().wire().quiet()) {
                return next.connection();
            }
            next.connection().close();
        }
    }

    private void giveBack(Connection connection) {
        keep(connection, MAX_IDLE_NANOS);
    }

    private void keep(Connection connection, long maxIdleNanos) {
        synchronized (idle) {
            long now = System.nanoTime();
            for (Iterator<Idle> kept = idle.iterator(); kept.hasNext();) {
                Idle old = kept.next();
                if (old.tooOld(now)) {
                    kept.remove();
                    old.connection().close();
                }
            }
            if (!closed && idle.size() < MAX_IDLE) {
                idle.addFirst(new Idle(connection, now, maxIdleNanos));
                return;
            }
        }
        connection.close();
    }


    private Connection connect() throws IOException {
        Wire wire;
        try {
            wire = Wire.connect(socket, through);
        } catch (IOException e) {
            throw RexecClient.unreachable(socket, e);
        }
        return new Connection(wire, new FrameReader(wire, Protocol.MAX_FILE));
    }

    /** Closes the idle connections, and those in use once their request is done; later requests close theirs too. */
    @Override
    public void close() {
        synchronized (idle) {
            closed = true;
            idle.forEach(kept -> kept.connection().close());
            idle.clear();
        }
    }
}
