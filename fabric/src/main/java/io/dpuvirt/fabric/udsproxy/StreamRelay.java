package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.fabric.link.Frame;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Relays one proxied connection between a local unix socket and a STREAM channel, a thread per direction, until
 * both directions have ended.
 *
 * <p>End of stream: each side sends exactly one END frame for its direction — SHUT_WR when its local end
 * half-closed (the far side then half-closes its socket), CLOSE when its local end closed completely or failed
 * (the far side then shuts its socket both ways) — and reads frames until it has received the peer's END. So the
 * channel is in step again afterwards and can carry the next stream. A broken channel is reported and discarded.
 */
final class StreamRelay {
    private final StreamChannel channel;
    private final NativeSocket local;
    private final FdPassing fdPassing;
    private final String label;
    private volatile boolean aborted;
    private volatile boolean linkBroken;
    private volatile boolean refused;

    /** How a relayed stream ended: normally, refused by the serving side, or with the link connection broken. */
    enum Outcome { COMPLETED, REFUSED, BROKEN }

    /**
     * The direction whose bytes come first: the client's ({@code UPSTREAM}, on the mirroring side) or the peer's
     * ({@code DOWNSTREAM}, on the serving side, right after the open request). The calling thread, already awake,
     * relays it; the other direction, whose bytes come a round trip later, waits on a pool thread. So a client's
     * first message never waits for a thread to wake up.
     */
    enum First { UPSTREAM, DOWNSTREAM }

    private StreamRelay(StreamChannel channel, NativeSocket local, FdPassing fdPassing, String label) {
        this.channel = channel;
        this.local = local;
        this.fdPassing = fdPassing;
        this.label = label;
    }

    /** Runs the relay to its end on the calling thread (direction {@code first}) plus one from {@code threads}. */
    static Outcome run(StreamChannel channel, NativeSocket local, FdPassing fdPassing, ExecutorService threads, String label,
            First first) {
        StreamRelay relay = new StreamRelay(channel, local, fdPassing, label);
        Future<?> other = threads.submit(first == First.UPSTREAM ? relay::downstream : relay::upstream);
        if (first == First.UPSTREAM) {
            relay.upstream();
        } else {
            relay.downstream();
        }
        try {
            other.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            relay.linkBroken = true;
        } catch (ExecutionException e) {
            Log.error(label + ": relay failed: " + e.getCause());
            relay.linkBroken = true;
        }
        return relay.linkBroken ? Outcome.BROKEN : relay.refused ? Outcome.REFUSED : Outcome.COMPLETED;
    }

    /** Local socket → link. */
    private void upstream() {
        MemorySegment buffer = channel.upBuffer.segment();
        try {
            while (true) {
                long room = channel.upBuffer.capacity() - Frame.HEADER;
                long n;
                try {
                    n = channel.upIo.receive(local, buffer.asSlice(Frame.HEADER), room);
                } catch (LinuxException e) {
                    sendEnd(UdsFrame.CLOSE); // ECONNRESET and the like: the local end is gone
                    return;
                }
                int[] fds = channel.upIo.receivedFds();
                if (channel.upIo.truncated()) {
                    closeAll(fds);
                    refuse("a message longer than " + room + " bytes or with more than 32 descriptors");
                    return;
                }
                if (fds.length > 0) {
                    List<FdPassing.Description> descriptions;
                    try {
                        descriptions = fdPassing.describe(fds);
                    } catch (FdRefusedException e) {
                        refuse("passing a descriptor: " + e.getMessage());
                        return;
                    }
                    channel.link.send(UdsFrame.FDS, 0, FdPassing.encode(descriptions));
                }
                if (n == 0) {
                    boolean fullyClosed = aborted || local.peerClosed();
                    sendEnd(fullyClosed ? UdsFrame.CLOSE : UdsFrame.SHUT_WR);
                    return;
                }
                channel.link.sendInPlace(UdsFrame.DATA, 0, buffer, n);
                if (n == room) {
                    channel.upBuffer.grow();
                    buffer = channel.upBuffer.segment();
                }
            }
        } catch (IOException e) {
            linkBroken = true; // writing to the link failed
            local.abort();
            channel.link.abort();
        }
    }

    /** Link → local socket; returns after the peer's END frame (or when the link broke). */
    private void downstream() {
        List<FdPassing.Description> pendingFds = List.of();
        boolean writable = true;
        try {
            while (true) {
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
                        return;
                    }
                    case UdsFrame.CLOSE -> {
                        abortLocal();
                        return;
                    }
                    case UdsFrame.OPEN_ERROR -> {
                        refused = true;
                        Log.warn(label + ": refused by the peer: " + OpenRefusal.decode(frame.bytes()));
                        abortLocal();
                        return;
                    }
                    default -> throw new io.dpuvirt.fabric.link.LinkProtocolException("unexpected frame " + frame.type() + " in a stream");
                }
            }
        } catch (IOException e) {
            if (!linkBroken) {
                Log.warn(label + ": link connection lost: " + e.getMessage());
            }
            linkBroken = true;
            abortLocal();
        }
    }

    /** Writes a DATA frame (with its descriptors) to the local socket; false once the local end cannot take more. */
    private boolean deliver(Frame frame, List<FdPassing.Description> descriptions) {
        int[] fds = new int[0];
        try {
            if (!descriptions.isEmpty()) {
                fds = fdPassing.open(descriptions);
                long sent = channel.downIo.send(local, frame.payload(), frame.length(), fds);
                if (sent < frame.length()) {
                    local.write(frame.payload().asSlice(sent), frame.length() - sent);
                }
            } else {
                local.write(frame.payload(), frame.length());
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

    private void refuse(String reason) throws LinuxException {
        Log.warn(label + ": refused " + reason + "; closing the stream");
        aborted = true;
        sendEnd(UdsFrame.CLOSE);
        local.abort();
    }

    private void sendEnd(int type) throws LinuxException {
        channel.link.send(type);
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

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            Libc.close(fd);
        }
    }
}
