package io.dpuvirt.rpc.server;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;

/**
 * libvirt's keepalive for one client, with libvirtd's rules (virkeepalive.c). Nothing happens until the client asks
 * CONNECT_SUPPORTS_FEATURE about keepalive ({@link #start}): a client that does not ask might not understand a PING
 * (libvirt's client asks only when it has an event loop to answer with). Then, after the policy's interval without
 * any message from the client (any message shows it is alive, not only a PONG), it is sent a PING, another each
 * interval after that, and once {@code count} PINGs went unanswered and one more interval passed it is given up on.
 * Checked on the server's {@link KeepaliveClock}, not on a thread of its own.
 */
final class ClientKeepalive {
    private final KeepalivePolicy policy;
    private final KeepaliveClock clock;
    private final Runnable ping;
    private final Consumer<Duration> giveUp;
    /** {@link System#nanoTime} of the client's last message; written by the connection's reader, for every message. */
    private volatile long lastMessage = System.nanoTime();
    // The rest is guarded by this object's lock.
    private boolean started;
    private boolean stopped;
    /** {@link #lastMessage} as the previous check saw it: a different one means the client spoke since. */
    private long lastMessageSeen;
    private int pingsUnanswered;
    private long lastPing;
    private ScheduledFuture<?> nextCheck;

    ClientKeepalive(KeepalivePolicy policy, KeepaliveClock clock, Runnable ping, Consumer<Duration> giveUp) {
        this.policy = policy;
        this.clock = clock;
        this.ping = ping;
        this.giveUp = giveUp;
    }

    void messageReceived() {
        lastMessage = System.nanoTime();
    }

    /** The client asked about keepalive: from now on it is pinged when silent (unless the policy never pings). */
    synchronized void start() {
        if (started || stopped || !policy.pings()) {
            return;
        }
        started = true;
        check();
    }

    /** The connection ended: no more checks. */
    synchronized void stop() {
        stopped = true;
        if (nextCheck != null) {
            nextCheck.cancel(false);
        }
    }

    private synchronized void check() {
        if (stopped) {
            return;
        }
        long now = System.nanoTime();
        long last = lastMessage;
        if (last != lastMessageSeen) {
            lastMessageSeen = last;
            pingsUnanswered = 0;
        }
        long interval = policy.interval().toNanos();
        long quietSince = pingsUnanswered == 0 ? last : lastPing;
        long untilDue = quietSince + interval - now;
        if (untilDue > 0) {
            checkIn(untilDue);
        } else if (pingsUnanswered == policy.count()) {
            stopped = true;
            Duration silence = Duration.ofNanos(now - last);
            clock.act(() -> giveUp.accept(silence));
        } else {
            pingsUnanswered++;
            lastPing = now;
            clock.act(ping);
            checkIn(interval);
        }
    }

    private void checkIn(long nanos) {
        nextCheck = clock.schedule(this::check, nanos).orElse(null);
    }
}
