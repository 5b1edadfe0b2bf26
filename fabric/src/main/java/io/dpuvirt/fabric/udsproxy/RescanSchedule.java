package io.dpuvirt.fabric.udsproxy;

import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * When the next scan of /proc/net/unix is due. A socket file coming or going in a watched directory asks for one at
 * once. bind() makes a socket's file before listen() makes it a listening socket, so while a socket that appeared is
 * not listening yet, the scan is repeated 1, 2, 5, 10, 20 and 40 ms later. A server listens right after it binds,
 * unless a busy machine preempts it in between: a qemu on a loaded HOST was seen to miss the first three retries,
 * and its console then stayed unreachable until the periodic scan. The last retry keeps a socket that listens up to
 * about 80 ms after its bind within the 100 ms udsproxyd promises; a socket bound only to connect from never
 * listens and costs six scans. Then the periodic scan, the safety net, takes over: every
 * {@link #WATCHED_INTERVAL} while inotify watches every directory under {@code [Udsconnect]}, every
 * {@link #UNWATCHED_INTERVAL} when it does not.
 */
final class RescanSchedule {
    static final Duration WATCHED_INTERVAL = Duration.ofMillis(250);
    static final Duration UNWATCHED_INTERVAL = Duration.ofMillis(50);
    private static final long[] RETRY_NANOS = {1_000_000, 2_000_000, 5_000_000, 10_000_000, 20_000_000, 40_000_000};

    private final LongSupplier nanoClock;
    private final Set<String> appeared = new HashSet<>();
    private int retries;
    private long due;

    RescanSchedule(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
        this.due = nanoClock.getAsLong();
    }

    void scanNow() {
        due = nanoClock.getAsLong();
    }

    /** A watched directory changed; {@code paths} are the files that appeared in it. */
    void changed(Set<String> paths) {
        appeared.addAll(paths);
        retries = 0;
        scanNow();
    }

    /**
     * After a scan: {@code listening} tells whether a path is a listening socket now, {@code watched} whether inotify
     * watches every whitelisted directory.
     */
    void scanned(Predicate<String> listening, boolean watched) {
        appeared.removeIf(listening);
        long now = nanoClock.getAsLong();
        if (!appeared.isEmpty() && retries < RETRY_NANOS.length) {
            due = now + RETRY_NANOS[retries++];
        } else {
            appeared.clear();
            due = now + (watched ? WATCHED_INTERVAL : UNWATCHED_INTERVAL).toNanos();
        }
    }

    boolean isDue() {
        return nanoClock.getAsLong() - due >= 0;
    }

    /** Milliseconds until the next scan, rounded up; 0 when it is due. */
    long millisUntilDue() {
        return Math.max(0, Math.ceilDiv(due - nanoClock.getAsLong(), 1_000_000L));
    }
}
