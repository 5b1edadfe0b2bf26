package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One connection to a unix socket on the peer's side ({@link PeerSockets#open}), as a blocking byte channel: what
 * is written goes out as DATA frames on the calling thread, what the peer's server sends is read out of the frames
 * that come back. End of stream follows the stream protocol ({@link StreamRelay}): {@link #shutdownOutput()} sends
 * SHUT_WR, {@link #close()} CLOSE (unless an END went already), and the peer's END reads as end of stream. A
 * stream closed leaves its channel in step once the peer's END has come (at once, or on a thread of the pool that
 * waits for it), and the channel is kept for the next stream.
 *
 * <p>One thread reads, any may write. {@link #close()} may be called from any thread: a read or write blocked
 * meanwhile ends with {@link AsynchronousCloseException}, as on the JDK's socket channels; the channel is released
 * once no thread uses it any more.
 */
public final class PeerStream implements ByteChannel {
    private static final MemorySegment NOTHING = MemorySegment.ofArray(new byte[0]);
    /** How long a read blocked during {@link #close()} waits for the peer's END before the channel is aborted. */
    private static final Duration PEER_END_PATIENCE = Duration.ofSeconds(5);

    private final StreamChannel channel;
    private final StreamPool pool;
    private final String path;
    private final String peer;
    /** Payload of the last DATA frame not read yet: a view into the link's buffer, valid until its next frame. */
    private MemorySegment unread = NOTHING;
    private volatile boolean peerEnded;
    private boolean endSent;
    private boolean endFailed;
    private boolean closed;
    /** Between {@link #close()} marking the stream closed and its END sent: no one releases the channel meanwhile. */
    private boolean closing;
    private boolean aborted;
    private boolean released;
    private int readers;
    private int writers;

    PeerStream(StreamChannel channel, StreamPool pool, String path, String peer) {
        this.channel = channel;
        this.pool = pool;
        this.path = path;
        this.peer = peer;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        enter(false);
        try {
            while (unread.byteSize() == 0) {
                if (peerEnded) {
                    if (closedMeanwhile()) {
                        throw new AsynchronousCloseException();
                    }
                    return -1;
                }
                receive();
                if (closedMeanwhile()) {
                    unread = NOTHING; // closed meanwhile: read on to the peer's END, dropping what comes before it
                }
            }
            int count = (int) Math.min(unread.byteSize(), into.remaining());
            MemorySegment.copy(unread, 0, MemorySegment.ofBuffer(into), 0, count);
            into.position(into.position() + count);
            unread = unread.asSlice(count);
            return count;
        } catch (IOException e) {
            throw closedMeanwhile() ? new AsynchronousCloseException() : e;
        } finally {
            leave(false);
        }
    }

    private void receive() throws IOException {
        LinkConnection link = channel.link;
        Frame frame = link.receive();
        switch (frame.type()) {
            case UdsFrame.DATA -> unread = frame.payload();
            case UdsFrame.SHUT_WR, UdsFrame.CLOSE -> peerEnded = true;
            case UdsFrame.OPEN_ERROR -> { // the answer to an open sent ahead (PeerSockets#openAhead): the peer's END
                peerEnded = true;
                throw OpenRefusal.decode(frame.bytes()).asConnectError(path, peer);
            }
            // descriptors the peer's server passes are not re-opened for an in-process client: none expects any
            case UdsFrame.FDS -> Log.debug("stream " + path + ": ignoring descriptors passed by the peer's server");
            default -> throw new LinkProtocolException("stream " + path + ": unexpected frame " + frame.type());
        }
    }

    @Override
    public int write(ByteBuffer from) throws IOException {
        enter(true);
        try {
            synchronized (this) {
                if (endSent) {
                    // DATA after this side's END would reach the serving side where it expects the next OPEN
                    throw new ClosedChannelException();
                }
            }
            int total = from.remaining();
            while (from.hasRemaining()) {
                byte[] chunk = new byte[Math.min(from.remaining(), Frame.MAX_PAYLOAD)];
                from.get(chunk);
                channel.link.send(UdsFrame.DATA, 0, chunk);
            }
            return total;
        } catch (IOException e) {
            throw closedMeanwhile() ? new AsynchronousCloseException() : e;
        } finally {
            leave(true);
        }
    }

    /** The server reads end of stream; this end can still read. */
    public void shutdownOutput() throws IOException {
        enter(true);
        try {
            sendEnd(UdsFrame.SHUT_WR);
        } finally {
            leave(true);
        }
    }

    /**
     * True when nothing has come from the peer since the last read, as on a connection that waits for its next
     * request; one whose server closed it meanwhile has its END waiting, and is no use any more.
     */
    public boolean quiet() {
        try {
            return unread.byteSize() == 0 && !peerEnded && !channel.link.hasBufferedInput()
                    && !channel.link.socket().readableNow();
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Wakes threads blocked on this stream, which then fail; the stream is no use afterwards. Once the stream has
     * been closed and its channel released (which may carry another stream by now), this does nothing.
     */
    public void abort() {
        synchronized (this) {
            if (released) {
                return;
            }
            aborted = true;
        }
        channel.link.abort();
    }

    @Override
    public boolean isOpen() {
        synchronized (this) {
            return !closed;
        }
    }

    /**
     * Ends the stream. A read blocked meanwhile ends with {@link AsynchronousCloseException} once the peer's END has
     * come, which follows this side's at once while the link works (the peer's server is disconnected on it), so the
     * channel stays in step for the next stream; should it not come within {@link #PEER_END_PATIENCE}, the channel is
     * aborted. A write blocked meanwhile cannot be followed by an END: the channel is aborted at once.
     */
    @Override
    public void close() {
        boolean writerInside;
        boolean readerInside;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            writerInside = writers > 0;
            readerInside = readers > 0;
            if (writerInside) {
                aborted = true;
            } else {
                closing = true;
            }
        }
        if (writerInside) {
            channel.link.abort(); // the last thread to leave closes the channel
            return;
        }
        if (readerInside) { // armed first: the END's send may itself wait, on a link that takes nothing
            CompletableFuture.delayedExecutor(PEER_END_PATIENCE.toMillis(), TimeUnit.MILLISECONDS).execute(this::abortIfStillRead);
        }
        try {
            sendEnd(UdsFrame.CLOSE);
        } catch (IOException e) {
            Log.debug("stream " + path + ": cannot send its end: " + e.getMessage());
        }
        synchronized (this) {
            closing = false;
        }
        releaseOnceUnused();
    }

    private void abortIfStillRead() {
        synchronized (this) {
            if (released || readers + writers == 0 && !closing) {
                return;
            }
            aborted = true;
        }
        channel.link.abort();
    }

    private void sendEnd(int type) throws IOException {
        synchronized (this) {
            if (endSent) {
                return;
            }
            endSent = true;
        }
        try {
            channel.link.send(type);
        } catch (IOException e) {
            synchronized (this) {
                endFailed = true;
            }
            throw e;
        }
    }

    private synchronized void enter(boolean writing) throws ClosedChannelException {
        if (closed) {
            throw new ClosedChannelException();
        }
        if (writing) {
            writers++;
        } else {
            readers++;
        }
    }

    private void leave(boolean writing) {
        synchronized (this) {
            if (writing) {
                writers--;
            } else {
                readers--;
            }
        }
        releaseOnceUnused();
    }

    /** Once closed, its END sent (or the channel aborted) and no thread inside any more: the channel goes, once. */
    private void releaseOnceUnused() {
        synchronized (this) {
            if (!closed || closing || released || readers + writers > 0) {
                return;
            }
            released = true;
        }
        release();
    }

    private synchronized boolean closedMeanwhile() {
        return closed;
    }

    /**
     * This side's END went across and nothing was cut short: the channel carries the next stream, once the peer's
     * END has come too (what the peer sent before it, unread, does not matter any more).
     */
    private void release() {
        boolean ended;
        boolean inStep;
        synchronized (this) {
            ended = endSent && !endFailed && !aborted;
            inStep = ended && peerEnded;
        }
        if (inStep) {
            pool.release(channel);
        } else if (ended) {
            pool.releaseAfterPeerEnd(channel);
        } else {
            channel.close();
        }
    }
}
