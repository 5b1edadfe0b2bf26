package io.dpuvirt.rpc.server;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The server's keepalive: its policy and one timer for all its clients. The timer's thread only decides; what touches
 * a client (writing a PING, closing the connection) runs on the server's pool, because a write waits while the
 * client's socket buffer is full (a client that stopped reading, a link that went), and that must hold up neither the
 * timer nor the other clients' PINGs and ends.
 */
final class KeepaliveClock implements AutoCloseable {
    private final KeepalivePolicy policy;
    private final ScheduledThreadPoolExecutor timer;
    private final Executor pool;

    /** The timer's thread starts with the first client that asks for keepalive. */
    KeepaliveClock(KeepalivePolicy policy, Executor pool) {
        this.policy = policy;
        this.pool = pool;
        this.timer = new ScheduledThreadPoolExecutor(1, Thread.ofPlatform().daemon().name("rpc-keepalive").factory());
        timer.setRemoveOnCancelPolicy(true); // a client's pending check goes with the client
    }

    /** A client's keepalive on this clock: {@code ping} sends it a PING, {@code giveUp} closes it after that silence. */
    ClientKeepalive forClient(Runnable ping, Consumer<Duration> giveUp) {
        return new ClientKeepalive(policy, this, ping, giveUp);
    }

    /** Runs {@code check} on the timer's thread in {@code delayNanos}; empty when the server is closing. */
    Optional<ScheduledFuture<?>> schedule(Runnable check, long delayNanos) {
        try {
            return Optional.of(timer.schedule(check, delayNanos, TimeUnit.NANOSECONDS));
        } catch (RejectedExecutionException e) {
            return Optional.empty();
        }
    }

    /** Runs {@code action} on a thread of the server's pool; nothing when the server is closing (and so its clients). */
    void act(Runnable action) {
        try {
            pool.execute(action);
        } catch (RejectedExecutionException e) {
            // the server closes every connection itself
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
