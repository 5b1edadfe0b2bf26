package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.LinkEndpoint;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Authenticated STREAM connections to the peer, kept warm: a client's connect() never waits for a TCP handshake
 * or the key challenge, and a finished stream's connection carries the next one. A few are dialed ahead of need.
 */
final class StreamPool {
    private static final int MAX_IDLE = 64;
    /** How long a channel waits for the peer's END after this side's ({@link #releaseAfterPeerEnd}): then it is dead. */
    private static final Duration PEER_END_PATIENCE = Duration.ofSeconds(5);

    private final LinkEndpoint endpoint;
    private final int warm;
    private final Executor threads;
    private final Deque<StreamChannel> idle = new ArrayDeque<>();
    private final AtomicBoolean refilling = new AtomicBoolean();
    private volatile boolean enabled;

    /** Keeps {@code warm} idle connections dialed ahead while enabled. */
    StreamPool(LinkEndpoint endpoint, int warm, Executor threads) {
        this.endpoint = endpoint;
        this.warm = warm;
        this.threads = threads;
    }

    /**
     * An idle channel that is still alive, or a freshly dialed one. An idle channel has nothing to read: if a
     * zero-timeout poll finds input, it is the peer's FIN or reset (the peer restarted) and the channel is dropped.
     */
    StreamChannel acquire() throws IOException {
        while (true) {
            StreamChannel channel;
            synchronized (idle) {
                channel = idle.pollFirst();
            }
            refillLater();
            if (channel == null) {
                return dial();
            }
            if (!channel.link.socket().readableNow()) {
                return channel;
            }
            channel.close();
        }
    }

    StreamChannel dial() throws IOException {
        return new StreamChannel(endpoint.dial(ChannelKind.STREAM));
    }

    void release(StreamChannel channel) {
        synchronized (idle) {
            if (enabled && idle.size() < MAX_IDLE) {
                idle.addFirst(channel);
                return;
            }
        }
        channel.close();
    }

    /**
     * A channel whose stream this side ended (its END sent) before the peer's END came: kept once the peer's END has
     * come, which follows at once when the peer's server is there (it closes its end on this side's END), whatever
     * comes before it being dropped. A client that closes while its server keeps the connection open (a console, a
     * watch answered) thus leaves a channel for the next stream instead of one to dial, with its handshake.
     */
    void releaseAfterPeerEnd(StreamChannel channel) {
        try {
            threads.execute(() -> {
                if (drainedToPeerEnd(channel)) {
                    release(channel);
                } else {
                    channel.close();
                }
            });
        } catch (RejectedExecutionException e) { // the pool's owner closed it: nothing is kept any more
            channel.close();
        }
    }

    /** Whether the peer's END came, each read waiting at most {@link #PEER_END_PATIENCE} (a frame cut short too). */
    private static boolean drainedToPeerEnd(StreamChannel channel) {
        try {
            channel.link.socket().setReceiveTimeout(PEER_END_PATIENCE);
            channel.skipToPeerEnd(true);
            channel.link.socket().setReceiveTimeout(Duration.ZERO); // kept: its next reads wait as before
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The link is up: keep connections warm. */
    void enable() {
        enabled = true;
        refillLater();
    }

    /** The link went down: idle connections are dead or about to be. */
    void disable() {
        enabled = false;
        synchronized (idle) {
            idle.forEach(StreamChannel::close);
            idle.clear();
        }
    }

    int idleCount() {
        synchronized (idle) {
            return idle.size();
        }
    }

    private void refillLater() {
        if (enabled && idleCount() < warm && refilling.compareAndSet(false, true)) {
            threads.execute(this::refill);
        }
    }

    private void refill() {
        try {
            while (enabled && idleCount() < warm) {
                StreamChannel channel = dial();
                synchronized (idle) {
                    idle.addLast(channel);
                }
            }
        } catch (IOException e) {
            Log.debug("stream pool: cannot dial ahead: " + e.getMessage());
        } finally {
            refilling.set(false);
        }
    }
}
