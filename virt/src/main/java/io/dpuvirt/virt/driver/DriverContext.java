package io.dpuvirt.virt.driver;

import io.dpuvirt.virt.host.Host;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What a driver is given by the daemon: {@code root}, under which it keeps its files (so that several
 * daemons can run side by side), and the {@link Host} that runs its guests.
 */
public record DriverContext(Path root, Host host) {
    public DriverContext {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(host, "host");
    }
}
