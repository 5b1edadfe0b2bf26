package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Relays one proxied connection between a local unix socket and a STREAM channel until both directions have ended.
 *
 * <p>One thread does both directions, waiting in poll(2) for whichever end has something, as long as every write
 * goes out at once. A write that would wait (the other end does not read) first hands the other direction to a
 * thread of its own, and from then on each direction blocks on its thread: two programs that each send while they
 * read cannot stall each other through the relay ({@code StreamRelayTest}). Most connections (requests and
 * answers) never need the second thread. When every connection took one from the pool, the hand-offs to it and back
 * were over a third of each daemon's context switches in {@code bench/udsproxy}'s connect workload: 7.8 and 9.1 a
 * connection on the two sides, now 4.2 and 5.8, and 145–152 µs of CPU each, now 99–116 µs.
 *
 * <p>End of stream: each side sends exactly one END frame for its direction — SHUT_WR when its local end
 * half-closed (the far side then half-closes its socket), CLOSE when its local end closed completely or failed
 * (the far side then shuts its socket both ways) — and reads frames until it has received the peer's END. So the
 * channel is in step again afterwards and can carry the next stream. A broken channel is reported and discarded.
 */
final class StreamRelay {
    private static final short POLLIN = 0x1;
    private static final int LOCAL = 1, LINK = 2;

    private final StreamChannel channel;
    private final NativeSocket local;
    private final FdPassing fdPassing;
    private final ExecutorService threads;
    private final String label;
    private volatile boolean aborted;
    private volatile boolean linkBroken;
    private volatile boolean refused;
    // the downstream direction's own state, used by one thread at a time
    private List<FdPassing.Description> pendingFds = List.of();
    private boolean writable = true;
    // while one thread relays both directions: which have ended; set before a direction is handed over
    private boolean upstreamEnded;
    private boolean downstreamEnded;
    private volatile boolean twoThreads;
    private volatile Future<?> handedOver;
    private final Runnable handOverDownstream = () -> handOver(Direction.UP);
    private final Runnable handOverUpstream = () -> handOver(Direction.DOWN);

    /** How a relayed stream ended: normally, refused by the serving side, or with the link connection broken. */
    enum Outcome { COMPLETED, REFUSED, BROKEN }

    private enum Direction { UP, DOWN }

    private StreamRelay(StreamChannel channel, NativeSocket local, FdPassing fdPassing, ExecutorService threads,
            String label) {
        this.channel = channel;
        this.local = local;
        this.fdPassing = fdPassing;
        this.threads = threads;
        this.label = label;
    }

    /** Runs the relay to its end on the calling thread, with a second one from {@code threads} only if needed. */
    static Outcome run(StreamChannel channel, NativeSocket local, FdPassing fdPassing, ExecutorService threads,
            String label) {
        StreamRelay relay = new StreamRelay(channel, local, fdPassing, threads, label);
        relay.relay();
        return relay.linkBroken ? Outcome.BROKEN : relay.refused ? Outcome.REFUSED : Outcome.COMPLETED;
    }

    private void relay() {
        Direction own = null; // the direction this thread keeps once the other has a thread of its own
        try {
            while (!(upstreamEnded && downstreamEnded) && own == null) {
                int ready = !downstreamEnded && channel.link.hasBufferedInput() ? LINK : awaitEither();
                if ((ready & LOCAL) != 0 && !upstreamEnded) {
                    upstreamEnded = !upstreamStep();
                    own = twoThreads ? Direction.UP : null;
                }
                if ((ready & LINK) != 0 && !downstreamEnded && own == null) {
                    downstreamEnded = !downstreamStep();
                    own = twoThreads ? Direction.DOWN : null;
                }
            }
            if (own == Direction.UP && !upstreamEnded) {
                upstream();
            } else if (own == Direction.DOWN && !downstreamEnded) {
                downstream();
            }
        } catch (IOException e) {
            linkFailed(e);
        }
        Future<?> other = handedOver;
        if (other != null) {
            join(other);
        }
    }

    /**
     * Before a write of {@code own}'s waits: the other direction, unless it has ended, goes to a thread of its own
     * first (it may be what the far end waits for before it reads again). Once only.
     */
    private void handOver(Direction own) {
        if (twoThreads) {
            return;
        }
        twoThreads = true;
        if (own == Direction.UP && !downstreamEnded) {
            handedOver = threads.submit(this::downstream);
        } else if (own == Direction.DOWN && !upstreamEnded) {
            handedOver = threads.submit(this::upstream);
        }
    }

    /**
     * What a link write runs before it waits, while one thread relays both directions; null once each has its own
     * thread, so that the write blocks at once instead of trying without waiting first (a bulk stream's writes
     * find the socket full most of the time).
     */
    private Runnable beforeUpstreamWaits() {
        return twoThreads ? null : handOverDownstream;
    }

    /** Waits until the local socket (while upstream runs) or the link (while downstream runs) has something. */
    private int awaitEither() throws LinuxException {
        MemorySegment fds = channel.pollFds;
        int count = 0;
        int localIndex = -1;
        int linkIndex = -1;
        if (!upstreamEnded) {
            localIndex = count;
            setPollFd(fds, count++, local.fd());
        }
        if (!downstreamEnded) {
            linkIndex = count;
            setPollFd(fds, count++, channel.link.socket().fd());
        }
        Libc.poll(fds, count, -1);
        int ready = 0;
        if (localIndex >= 0 && fds.get(ValueLayout.JAVA_SHORT, 8L * localIndex + 6) != 0) {
            ready |= LOCAL;
        }
        if (linkIndex >= 0 && fds.get(ValueLayout.JAVA_SHORT, 8L * linkIndex + 6) != 0) {
            ready |= LINK;
        }
        return ready;
    }

    private static void setPollFd(MemorySegment fds, int index, int fd) {
        fds.set(ValueLayout.JAVA_INT, 8L * index, fd);
        fds.set(ValueLayout.JAVA_SHORT, 8L * index + 4, POLLIN);
        fds.set(ValueLayout.JAVA_SHORT, 8L * index + 6, (short) 0);
    }

    /** Local socket → link, on a thread of its own. */
    private void upstream() {
        try {
            while (upstreamStep()) {
                // relays until this direction's END is sent
            }
        } catch (IOException e) {
            linkFailed(e);
        }
    }

    /** Link → local socket, on a thread of its own; returns after the peer's END frame (or when the link broke). */
    private void downstream() {
        try {
            while (downstreamStep()) {
                // relays until the peer's END arrives
            }
        } catch (IOException e) {
            linkFailed(e);
        }
    }

    /** One read of the local socket, relayed; false once this direction's END is sent. Throws when the link fails. */
    private boolean upstreamStep() throws IOException {
        long n;
        try {
            if (local.type() == SocketType.SEQPACKET) {
                // the buffer starts at 16 KiB and a message must not be cut: make room for the next one whole (one
                // longer than a link frame carries is cut, and refused below)
                long length = channel.upIo.nextMessageLength(local);
                if (length <= Frame.MAX_PAYLOAD) {
                    channel.upBuffer.ensure(Frame.HEADER + length, 0);
                }
            }
            n = channel.upIo.receive(local, channel.upBuffer.segment().asSlice(Frame.HEADER), channel.upBuffer.capacity() - Frame.HEADER);
        } catch (LinuxException e) {
            sendEnd(UdsFrame.CLOSE); // ECONNRESET and the like: the local end is gone
            return false;
        }
        MemorySegment buffer = channel.upBuffer.segment();
        long room = channel.upBuffer.capacity() - Frame.HEADER;
        int[] fds = channel.upIo.receivedFds();
        if (channel.upIo.truncated()) {
            closeAll(fds);
            refuse("a message longer than " + room + " bytes or with more than 32 descriptors");
            return false;
        }
        if (fds.length > 0) {
            List<FdPassing.Description> descriptions;
            try {
                descriptions = fdPassing.describe(fds);
            } catch (FdRefusedException e) {
                refuse("passing a descriptor: " + e.getMessage());
                return false;
            }
            channel.link.send(UdsFrame.FDS, 0, FdPassing.encode(descriptions), beforeUpstreamWaits());
        }
        if (n == 0 && local.type() == SocketType.SEQPACKET && !local.inputEnded()) {
            // a message without bytes, not the end (an empty message sent right before a shutdown is taken for it)
            channel.link.sendInPlace(UdsFrame.DATA, 0, buffer, 0, beforeUpstreamWaits());
            return true;
        }
        if (n == 0) {
            boolean fullyClosed = aborted || local.peerClosed();
            sendEnd(fullyClosed ? UdsFrame.CLOSE : UdsFrame.SHUT_WR);
            return false;
        }
        channel.link.sendInPlace(UdsFrame.DATA, 0, buffer, n, beforeUpstreamWaits());
        if (n == room) {
            channel.upBuffer.grow();
        }
        return true;
    }

    /** One frame from the link, relayed; false after the peer's END frame. Throws when the link fails. */
    private boolean downstreamStep() throws IOException {
        Frame frame = channel.link.receive();
        switch (frame.type()) {
            case UdsFrame.FDS -> pendingFds = FdPassing.decode(frame.payload());
            case UdsFrame.DATA -> {
                if (writable) {
                    writable = deliver(frame, pendingFds);
                }
                pendingFds = List.of();
            }
            case UdsFrame.SHUT_WR -> {
                if (writable) {
                    shutdownLocalOutput();
                }
                return false;
            }
            case UdsFrame.CLOSE -> {
                abortLocal();
                return false;
            }
            case UdsFrame.OPEN_ERROR -> {
                refused = true;
                Log.warn(label + ": refused by the peer: " + OpenRefusal.decode(frame.bytes()));
                abortLocal();
                return false;
            }
            default -> throw new LinkProtocolException("unexpected frame " + frame.type() + " in a stream");
        }
        return true;
    }

    /** Writes a DATA frame (with its descriptors) to the local socket; false once the local end cannot take more. */
    private boolean deliver(Frame frame, List<FdPassing.Description> descriptions) {
        int[] fds = new int[0];
        try {
            if (!descriptions.isEmpty()) {
                handOverUpstream.run(); // sendmsg with descriptors is not tried without waiting
                fds = fdPassing.open(descriptions);
                long sent = channel.downIo.send(local, frame.payload(), frame.length(), fds);
                if (sent < frame.length()) {
                    local.write(frame.payload().asSlice(sent), frame.length() - sent);
                }
            } else {
                writeLocal(frame.payload(), frame.length());
            }
            return true;
        } catch (FdRefusedException e) {
            Log.warn(label + ": refused a descriptor from the peer: " + e.getMessage() + "; closing the stream");
            abortLocal();
            return false;
        } catch (LinuxException e) {
            abortLocal(); // the local end went away: tell the peer (upstream sends CLOSE), keep draining
            return false;
        } finally {
            closeAll(fds);
        }
    }

    private void writeLocal(MemorySegment bytes, long length) throws LinuxException {
        if (length == 0) { // a seqpacket message without bytes: a send that waits, as "sent nothing" is not "had no room"
            handOverUpstream.run();
            local.write(bytes, 0);
            return;
        }
        long sent = twoThreads ? 0 : local.sendNow(bytes, length);
        if (sent < length) {
            handOverUpstream.run();
            local.write(bytes.asSlice(sent), length - sent);
        }
    }

    private void refuse(String reason) throws LinuxException {
        Log.warn(label + ": refused " + reason + "; closing the stream");
        aborted = true;
        sendEnd(UdsFrame.CLOSE);
        local.abort();
    }

    private void sendEnd(int type) throws LinuxException {
        channel.link.send(type, 0, new byte[0], beforeUpstreamWaits());
    }

    /** The link connection failed, reading or writing: both directions end, the local socket is shut. */
    private void linkFailed(IOException e) {
        if (!linkBroken) {
            Log.warn(label + ": link connection lost: " + e.getMessage());
        }
        linkBroken = true;
        abortLocal();
        channel.link.abort();
    }

    private void shutdownLocalOutput() {
        try {
            local.shutdownOutput();
        } catch (LinuxException e) {
            // the local end is already gone; upstream notices and ends with CLOSE
        }
    }

    /** Shuts the local socket both ways: upstream wakes up and, seeing {@code aborted}, ends with CLOSE. */
    private void abortLocal() {
        aborted = true;
        local.abort();
    }

    private void join(Future<?> other) {
        try {
            other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            linkBroken = true;
        } catch (ExecutionException e) {
            Log.error(label + ": relay failed: " + e.getCause());
            linkBroken = true;
        }
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
