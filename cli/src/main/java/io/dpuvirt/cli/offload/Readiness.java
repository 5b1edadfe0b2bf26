package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How to tell that a daemon is ready to serve, and how long it may take after its start.
 *
 * @param doing  what a ready daemon is doing, as in "virtd is not DOING" ("listening on /var/run/libvirt/libvirt-sock")
 * @param socket the unix socket it then serves, where {@code probe} looks
 */
record Readiness(String doing, Path socket, Probe probe, Duration bound) {
    /** One look; never throws (a probe that cannot tell says no). */
    @FunctionalInterface
    interface Probe {
        boolean holds();
    }
}
