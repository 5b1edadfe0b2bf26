package io.dpuvirt.rpc.server;

import java.time.Duration;
import java.util.Objects;

/**
 * When the server pings a client that asked for keepalive, and when it gives up on it: libvirtd.conf's
 * {@code keepalive_interval} and {@code keepalive_count}. After {@code interval} without any message from the
 * client the server sends a PING, again every {@code interval}, and closes the connection when {@code count} PINGs
 * went unanswered: about {@code interval * (count + 1)} after the client's last message. A count of 0 closes after
 * one interval of silence without pinging. An interval that is not positive (libvirt's -1) disables the pings; the
 * client's own PINGs are answered all the same.
 */
public record KeepalivePolicy(Duration interval, int count) {
    /** libvirtd's defaults: a client that vanished is let go after 30 s. */
    public static final KeepalivePolicy LIBVIRT_DEFAULT = new KeepalivePolicy(Duration.ofSeconds(5), 5);

    public KeepalivePolicy {
        Objects.requireNonNull(interval, "interval");
        if (count < 0) {
            throw new IllegalArgumentException("keepalive count must not be negative: " + count);
        }
    }

    /** Whether the server pings at all. */
    public boolean pings() {
        return interval.isPositive();
    }
}
