package io.dpuvirt.virt.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program to start: its argv (argv[0] searched in PATH when it has no slash), its whole environment
 * (nothing is inherited from the daemon), its working directory and its stdio. Start from
 * {@link #of(List)}: empty environment, the daemon's working directory, stdio on /dev/null.
 */
public record ProcessSpec(List<String> argv, Map<String, String> environment, Optional<Path> workingDirectory,
                          Stdio stdin, Stdio stdout, Stdio stderr) {
    public ProcessSpec {
        argv = List.copyOf(argv);
        if (argv.isEmpty()) {
            throw new IllegalArgumentException("a process needs at least argv[0]");
        }
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        Objects.requireNonNull(stdin, "stdin");
        Objects.requireNonNull(stdout, "stdout");
        Objects.requireNonNull(stderr, "stderr");
    }

    public static ProcessSpec of(List<String> argv) {
        return new ProcessSpec(argv, Map.of(), Optional.empty(), Stdio.none(), Stdio.none(), Stdio.none());
    }

    public ProcessSpec withEnvironment(Map<String, String> newEnvironment) {
        return new ProcessSpec(argv, newEnvironment, workingDirectory, stdin, stdout, stderr);
    }

    public ProcessSpec withWorkingDirectory(Path directory) {
        return new ProcessSpec(argv, environment, Optional.of(directory), stdin, stdout, stderr);
    }

    public ProcessSpec withStdio(Stdio newStdin, Stdio newStdout, Stdio newStderr) {
        return new ProcessSpec(argv, environment, workingDirectory, newStdin, newStdout, newStderr);
    }
}
