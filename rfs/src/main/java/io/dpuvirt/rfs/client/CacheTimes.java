package io.dpuvirt.rfs.client;

import java.time.Duration;

/**
 * How long the DPU's kernel may trust what it was told: names ({@code entry}), attributes ({@code attr}) and
 * "no such name" ({@code negative}). A change made on the HOST shows on the DPU within the longest of these;
 * file contents are re-read on the next open, and earlier when the attributes show a new size or mtime.
 */
public record CacheTimes(Duration entry, Duration attr, Duration negative) {
    public static CacheTimes defaults() {
        Duration second = Duration.ofSeconds(1);
        return new CacheTimes(second, second, second);
    }
}
