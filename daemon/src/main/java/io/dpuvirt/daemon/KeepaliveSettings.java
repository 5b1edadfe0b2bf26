package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.KeepalivePolicy;

import java.time.Duration;

/**
 * virtd's keepalive settings as libvirtd.conf writes them, for its configuration file and its options alike:
 * {@code keepalive_interval} in whole seconds (-1 turns the server's PINGs off; as in libvirtd, so does any value
 * below 1) and {@code keepalive_count}, the PINGs a client may leave unanswered (0 or more). An
 * IllegalArgumentException says what is wrong with a value; the caller names where it came from.
 */
public final class KeepaliveSettings {
    private KeepaliveSettings() {
    }

    public static KeepalivePolicy withInterval(KeepalivePolicy policy, String seconds) {
        return new KeepalivePolicy(Duration.ofSeconds(number(seconds, "a whole number of seconds (-1: no PINGs)")),
                policy.count());
    }

    public static KeepalivePolicy withCount(KeepalivePolicy policy, String count) {
        int pings = number(count, "a count of PINGs (0 or more)");
        if (pings < 0) {
            throw new IllegalArgumentException("wants a count of PINGs (0 or more), not '" + count + "'");
        }
        return new KeepalivePolicy(policy.interval(), pings);
    }

    private static int number(String text, String wanted) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("wants " + wanted + ", not '" + text + "'");
        }
    }
}
