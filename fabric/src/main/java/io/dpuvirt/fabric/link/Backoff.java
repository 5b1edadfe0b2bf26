package io.dpuvirt.fabric.link;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/** Exponential reconnect delays with jitter: 50 ms doubling up to a ceiling, reset after a success. */
public final class Backoff {
    private final long initialMillis;
    private final long maximumMillis;
    private long nextMillis;

    public Backoff(Duration initial, Duration maximum) {
        this.initialMillis = initial.toMillis();
        this.maximumMillis = maximum.toMillis();
        this.nextMillis = initialMillis;
    }

    public Duration next() {
        long base = nextMillis;
        nextMillis = Math.min(maximumMillis, nextMillis * 2);
        long jitter = ThreadLocalRandom.current().nextLong(base / 4 + 1);
        return Duration.ofMillis(base + jitter);
    }

    public void reset() {
        nextMillis = initialMillis;
    }
}
