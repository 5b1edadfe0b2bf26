package io.dpuvirt.fabric.rexec;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * How a rexec_server runs.
 *
 * @param socket              where it listens (mode 0600), its lock and its records of running programs beside it
 * @param whitelist           the programs it may start ({@code /etc/rexec/whitelist})
 * @param insecureNoWhitelist start any program: for tests only, and said loudly in the log
 * @param killGrace           between SIGTERM and SIGKILL when a client goes away or the server stops
 * @param outputDirectories   where detached programs' stdout and stderr files may be (file requests read there too)
 * @param stateDirectories    beneath which file requests may create, write and delete (and read); created when missing
 * @param readableDirectories beneath which file requests may read (firmware templates)
 * @param idleTimeout         how long a connection may wait for its next request after an answered one
 */
public record RexecServerConfig(Path socket, Path whitelist, boolean insecureNoWhitelist, Duration killGrace,
                                List<Path> outputDirectories, List<Path> stateDirectories, List<Path> readableDirectories,
                                Duration idleTimeout) {
    public static final Path DEFAULT_WHITELIST = Path.of("/etc/rexec/whitelist");
    public static final Duration DEFAULT_KILL_GRACE = Duration.ofSeconds(5);
    public static final List<Path> DEFAULT_OUTPUT_DIRECTORIES = List.of(Path.of("/var/log"));
    /** Long enough for a client's bursts of requests (a guest's start, virsh's polling), short enough not to hold idle threads. */
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofSeconds(60);

    public RexecServerConfig {
        if (killGrace.isNegative()) {
            throw new IllegalArgumentException("the kill grace period cannot be negative: " + killGrace);
        }
        if (!idleTimeout.isPositive()) {
            throw new IllegalArgumentException("the idle timeout must be positive: " + idleTimeout);
        }
        outputDirectories = absolute("output", outputDirectories);
        stateDirectories = absolute("state", stateDirectories);
        readableDirectories = absolute("readable", readableDirectories);
    }

    private static List<Path> absolute(String kind, List<Path> directories) {
        if (directories.stream().anyMatch(directory -> !directory.isAbsolute())) {
            throw new IllegalArgumentException(kind + " directories are absolute paths: " + directories);
        }
        return List.copyOf(directories);
    }

    /** Connections idle for {@link #DEFAULT_IDLE_TIMEOUT} at most. */
    public RexecServerConfig(Path socket, Path whitelist, boolean insecureNoWhitelist, Duration killGrace,
                             List<Path> outputDirectories, List<Path> stateDirectories, List<Path> readableDirectories) {
        this(socket, whitelist, insecureNoWhitelist, killGrace, outputDirectories, stateDirectories, readableDirectories, DEFAULT_IDLE_TIMEOUT);
    }

    /** Detached programs' output only in {@link #DEFAULT_OUTPUT_DIRECTORIES}; no state or readable directories. */
    public RexecServerConfig(Path socket, Path whitelist, boolean insecureNoWhitelist, Duration killGrace) {
        this(socket, whitelist, insecureNoWhitelist, killGrace, DEFAULT_OUTPUT_DIRECTORIES, List.of(), List.of());
    }

    public static RexecServerConfig defaults(Path socket) {
        return new RexecServerConfig(socket, DEFAULT_WHITELIST, false, DEFAULT_KILL_GRACE);
    }

    /** Held while the server runs: a second server for the same socket refuses to start. */
    public Path lockFile() {
        return Path.of(socket + ".lock");
    }

    /** One file per running attached program, so that a restarted server can end what a killed one left behind. */
    public Path childrenDirectory() {
        return Path.of(socket + ".children");
    }

    /** The registry of detached programs: one file each, kept across restarts of the server. */
    public Path detachedDirectory() {
        return Path.of(socket + ".detached");
    }
}
