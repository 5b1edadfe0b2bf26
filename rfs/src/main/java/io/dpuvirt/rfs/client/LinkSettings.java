package io.dpuvirt.rfs.client;

import java.time.Duration;

/**
 * Fault behaviour of the client's link: a ping every {@code pingInterval}; no frame for {@code deadAfter} means
 * the link is dead, requests in flight fail with EIO and reconnecting starts; while it is down, a new request
 * waits up to {@code reconnectWait} for it to come back, then fails with EIO.
 */
public record LinkSettings(Duration pingInterval, Duration deadAfter, Duration reconnectWait) {
    public static LinkSettings defaults() {
        return new LinkSettings(Duration.ofSeconds(1), Duration.ofSeconds(3), Duration.ofSeconds(2));
    }
}
