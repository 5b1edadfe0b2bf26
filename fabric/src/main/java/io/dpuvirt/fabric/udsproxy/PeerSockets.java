package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.LinkProtocolException;
import io.dpuvirt.fabric.link.Transport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Unix sockets on the peer's side, connected to through the peer's udsproxyd alone, by a daemon that holds the
 * link's key: virtd on the DPU reaching the guests' monitors and consoles and rexec_server on the HOST.
 *
 * <p>Through this side's udsproxyd, each message of such a connection wakes two threads more on its way: the
 * mirror's relay reading the client's socket and writing the link, and back. On a DPU whose cores are idle between
 * a daemon's single operations, each such wake-up costs about 100 µs of cold caches (docs/ARCHITECTURE.md, "Cold
 * hops"). Here the daemon's own thread writes the link. The peer serves these streams as it serves its peer
 * udsproxyd's: only paths under its {@code [Udsconnect]}, logged with this process's pid and user.
 *
 * <p>{@link #open} waits for the peer to confirm the connect (one round trip), so that a socket that is not there
 * fails there, as a local connect() would; it may ask the peer to wait for a socket that is about to appear (a
 * hypervisor's monitor), which the peer then connects to as soon as it is there, without a round trip per try.
 * {@link #openAhead}, like a mirror's relay, sends what is written right behind OPEN, and a refusal comes back
 * as the first read's error: for a server that is expected to be there (rexec_server), a round trip less.
 */
public final class PeerSockets implements AutoCloseable {
    /** Channels kept dialed ahead: one for a guest's monitor, one for its console or a rexec request. */
    private static final int WARM_STREAMS = 2;
    /** How long the peer may take to confirm a connect before the channel counts as dead (a cut link). */
    private static final Duration CONFIRM_PATIENCE = Duration.ofSeconds(5);

    private final Transport transport;
    private final ExecutorService threads;
    private final StreamPool pool;
    private final PeerCredentials self = ownCredentials();

    /** Dials {@code transport}'s peer (its local address is not used: nothing listens here) with {@code key}. */
    public PeerSockets(Transport transport, LinkKey key) {
        this.transport = transport;
        // platform threads: a dial blocks in native calls, which would hold a virtual thread's carrier
        this.threads = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("peer-dial-", 0).factory());
        this.pool = new StreamPool(new LinkEndpoint(transport, new Handshake(key), threads), WARM_STREAMS, threads);
        pool.enable();
    }

    /** The peer's udsproxyd, as messages name it. */
    public String peer() {
        return "udsproxyd at " + transport.peer();
    }

    /**
     * Connects to the listening stream socket at {@code socket} on the peer's side. A refusal (no such socket, not
     * under the peer's {@code [Udsconnect]}, nobody listening) is a {@link LinuxException} with the peer's errno.
     * The stream's reads block a platform thread, never a virtual one (they are native calls).
     */
    public PeerStream open(Path socket) throws IOException {
        return open(socket, Duration.ZERO);
    }

    /**
     * As {@link #open(Path)}; a socket that is not there yet (no file, or nobody listening) is waited for up to
     * {@code await} on the peer's side (at most 5 s a call), which then connects to it as soon as it is there.
     */
    public PeerStream open(Path socket, Duration await) throws IOException {
        int flags = UdsFrame.CONFIRM | (await.isZero() ? 0 : UdsFrame.AWAIT);
        byte[] request = new OpenRequest(socket.toString(), SocketType.STREAM, self, await).encode();
        Duration patience = CONFIRM_PATIENCE.plus(await);
        return onAChannel(socket, channel -> confirmed(channel, socket, flags, request, patience));
    }

    /**
     * A stream to the server at {@code socket} on the peer's side, returned at once: what is written goes right
     * behind the OPEN, and a refusal is the first read's {@link LinuxException} (the write before it succeeds).
     */
    public PeerStream openAhead(Path socket) throws IOException {
        byte[] request = new OpenRequest(socket.toString(), SocketType.STREAM, self).encode();
        return onAChannel(socket, channel -> {
            channel.link.send(UdsFrame.OPEN, 0, request);
            return new PeerStream(channel, pool, socket.toString(), peer());
        });
    }

    /** Opening a stream on one channel; the peer's refusal is a {@link Refused}, any other failure the channel's. */
    @FunctionalInterface
    private interface Opening {
        PeerStream on(StreamChannel channel) throws IOException, Refused;
    }

    /**
     * {@code opening} on a kept channel, and once more on a new one if that fails: a kept channel dies unseen when
     * the peer's machine went away. The peer's refusal is not retried.
     */
    private PeerStream onAChannel(Path socket, Opening opening) throws IOException {
        try {
            StreamChannel kept = pool.acquire();
            try {
                return opening.on(kept);
            } catch (IOException e) {
                kept.close();
            }
            StreamChannel fresh = pool.dial();
            try {
                return opening.on(fresh);
            } catch (IOException e) {
                fresh.close();
                throw e;
            }
        } catch (Refused refused) {
            throw refused.error;
        } catch (IOException e) {
            throw new IOException(peer() + ": cannot connect to " + socket + ": " + e.getMessage(), e);
        }
    }

    private PeerStream confirmed(StreamChannel channel, Path socket, int flags, byte[] request, Duration patience)
            throws IOException, Refused {
        channel.link.send(UdsFrame.OPEN, flags, request);
        if (!channel.link.hasBufferedInput() && !channel.link.socket().awaitReadable(patience)) {
            throw new IOException("no answer within " + patience.toMillis() + " ms");
        }
        Frame answer = channel.link.receive();
        switch (answer.type()) {
            case UdsFrame.OPENED -> {
                return new PeerStream(channel, pool, socket.toString(), peer());
            }
            case UdsFrame.OPEN_ERROR -> {
                OpenRefusal refusal = OpenRefusal.decode(answer.bytes());
                channel.link.send(UdsFrame.CLOSE); // this side's END: the channel is in step for the next stream
                pool.release(channel);
                throw new Refused(refusal.asConnectError(socket.toString(), peer()));
            }
            default -> throw new LinkProtocolException(peer() + " answered an open with frame " + answer.type());
        }
    }

    /** The peer's answer that it cannot connect: passed on as it is, never retried on another channel. */
    private static final class Refused extends Exception {
        private final LinuxException error;

        Refused(LinuxException error) {
            super(error.getMessage(), null, false, false);
            this.error = error;
        }
    }

    /** This process's pid, user and group, which the peer logs with each stream (its server sees udsproxyd). */
    private static PeerCredentials ownCredentials() {
        try {
            Path self = Path.of("/proc/self"); // owned by this process's effective user and group
            return new PeerCredentials((int) ProcessHandle.current().pid(), (int) Files.getAttribute(self, "unix:uid"),
                    (int) Files.getAttribute(self, "unix:gid"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's credentials from /proc/self", e);
        }
    }

    /** Closes the idle channels; streams already open keep theirs. */
    @Override
    public void close() {
        pool.disable();
        threads.shutdown();
    }
}
