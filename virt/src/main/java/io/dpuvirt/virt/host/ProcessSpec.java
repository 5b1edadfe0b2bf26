package io.dpuvirt.virt.host;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A program to start: its argv (argv[0] searched in PATH when it has no slash), its whole environment
 * (nothing is inherited from the daemon), its working directory, its stdio and the run directory the host removes
 * after it. Start from {@link #of(List)}: empty environment, the daemon's working directory, stdio on /dev/null, no
 * run directory.
 */
public record ProcessSpec(List<String> argv, Map<String, String> environment, Optional<Path> workingDirectory,
                          Stdio stdin, Stdio stdout, Stdio stderr, Optional<Path> runDirectory) {
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
        Objects.requireNonNull(runDirectory, "runDirectory");
    }

    public static ProcessSpec of(List<String> argv) {
        return new ProcessSpec(argv, Map.of(), Optional.empty(), Stdio.none(), Stdio.none(), Stdio.none(), Optional.empty());
    }

    public ProcessSpec withEnvironment(Map<String, String> newEnvironment) {
        return new ProcessSpec(argv, newEnvironment, workingDirectory, stdin, stdout, stderr, runDirectory);
    }

    public ProcessSpec withWorkingDirectory(Path directory) {
        return new ProcessSpec(argv, environment, Optional.of(directory), stdin, stdout, stderr, runDirectory);
    }

    public ProcessSpec withStdio(Stdio newStdin, Stdio newStdout, Stdio newStderr) {
        return new ProcessSpec(argv, environment, workingDirectory, newStdin, newStdout, newStderr, runDirectory);
    }

    /**
     * A directory of the process's own (a hypervisor's sockets and pid file): the host makes it (with missing
     * parents) before the start, readable and writable by its owner only (0700; an existing one is made so), since
     * whoever reaches a monitor socket controls the guest; once the process has ended, the host removes the files
     * in it and then the directory, before the end is reported ({@link HostProcess#exit()}). A remote host does
     * each in the exchange that starts the process or reports its end.
     */
    public ProcessSpec withRunDirectory(Path directory) {
        return new ProcessSpec(argv, environment, workingDirectory, stdin, stdout, stderr, Optional.of(directory));
    }
}
