package io.dpuvirt.fabric.rexec;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a rexec_server runs.
 *
 * @param socket              where it listens (mode 0600), its lock and its records of running programs beside it
 * @param whitelist           the programs it may start ({@code /etc/rexec/whitelist})
 * @param insecureNoWhitelist start any program: for tests only, and said loudly in the log
 * @param killGrace           between SIGTERM and SIGKILL when a client goes away or the server stops
 */
public record RexecServerConfig(Path socket, Path whitelist, boolean insecureNoWhitelist, Duration killGrace) {
    public static final Path DEFAULT_WHITELIST = Path.of("/etc/rexec/whitelist");
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);

    public RexecServerConfig {
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("the kill grace period cannot be negative: " + killGrace);
        }
    }

    public static RexecServerConfig defaults(Path socket) {
        return new RexecServerConfig(socket, DEFAULT_WHITELIST, false, DEFAULT_KILL_GRACE);
    }

    /** Held while the server runs: a second server for the same socket refuses to start. */
    public Path lockFile() {
        return Path.of(socket + ".lock");
    }

    /** One file per running program, so that a restarted server can end what a killed one left behind. */
    public Path childrenDirectory() {
        return Path.of(socket + ".children");
    }
}
