package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A daemon a profile runs on a side.
 *
 * @param launch             what it is started with (a tool in bin/, its options, what it reads at its start); empty
 *                           when the command was not given the settings for it ({@code check} without the link's)
 * @param runtimeDirectories directories it keeps its run files in, made (and recorded) before it starts so that
 *                           {@code down} removes them again once it has stopped
 */
record Service(String name, Optional<LaunchSettings> launch, List<Path> runtimeDirectories, Readiness readiness) {
    Service {
        Objects.requireNonNull(launch, "launch");
        runtimeDirectories = List.copyOf(runtimeDirectories);
    }
}
