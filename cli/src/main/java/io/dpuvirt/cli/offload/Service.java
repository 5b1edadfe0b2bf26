package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.util.List;

/**
 * A daemon a profile runs on a side.
 *
 * @param argv               its command line (a tool in bin/ and its options)
 * @param runtimeDirectories directories it keeps its run files in, made (and recorded) before it starts so that
 *                           {@code down} removes them again once it has stopped
 */
record Service(String name, List<String> argv, List<Path> runtimeDirectories, Readiness readiness) {
    Service {
        argv = List.copyOf(argv);
        runtimeDirectories = List.copyOf(runtimeDirectories);
    }
}
