package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.PosixSpawn;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

/**
 * Starts the program of a request with posix_spawn: the whitelisted canonical path, argv as sent, the filtered
 * environment, its working directory, a new session (setsid, so that it and its children can be signalled as a
 * process group), fds 0-2 on pipes or a terminal, passed descriptors at their numbers, and nothing else open.
 */
final class ProgramLauncher {
    private static final byte[] ROOT = {'/'};

    private final ProgramPolicy policy;
    private final Reaper reaper;

    ProgramLauncher(ProgramPolicy policy, Reaper reaper) {
        this.policy = policy;
        this.reaper = reaper;
    }

    /** A started program: its pid, what was executed, the server's ends of its stdio, the variables dropped. */
    record Launched(int pid, String path, ChildStdio stdio, List<String> droppedVariables) {
    }

    Launched launch(SpawnRequest request, Consumer<ExitStatus> onExit) throws SpawnFailedException {
        ByteString program = request.argv().getFirst();
        byte[] path = policy.resolve(program);
        byte[] directory = directory(request);
        EnvironmentPolicy.Filtered environment = EnvironmentPolicy.apply(request.environment());
        List<byte[]> argv = request.argv().stream().map(ByteString::toByteArray).toList();
        ChildStdio stdio;
        try {
            stdio = request.terminal().isPresent() ? ChildStdio.terminal(request.terminal().get()) : ChildStdio.pipes(request.stdinFromNull());
        } catch (LinuxException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot set up its stdio on the server: " + e.getMessage());
        }
        try (PosixSpawn spawn = new PosixSpawn()) {
            spawn.newSession();
            stdio.addTo(spawn);
            passFds(spawn, request.fds(), stdio.highestFd());
            spawn.chdir(directory);
            int pid = reaper.start(() -> spawn.spawn(path, argv, environment.environment()), onExit);
            stdio.closeChildEnds();
            return new Launched(pid, new String(path, StandardCharsets.UTF_8), stdio, environment.dropped());
        } catch (LinuxException e) {
            stdio.closeAll();
            throw new SpawnFailedException(e.is(Errno.ENOENT) ? ProgramPolicy.NOT_FOUND : ProgramPolicy.NOT_ALLOWED,
                    program + ": cannot start it on the server: " + Errno.describe(e.errno()));
        }
    }

    private static byte[] directory(SpawnRequest request) throws SpawnFailedException {
        if (request.directory().length() == 0) {
            return ROOT;
        }
        byte[] directory = request.directory().toByteArray();
        try {
            Libc.realpath(directory);
            return directory;
        } catch (LinuxException e) {
            if (request.directoryRequired()) {
                throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, request.argv().getFirst() + ": the working directory "
                        + request.directory() + " does not exist on the server");
            }
            return ROOT;
        }
    }

    /**
     * Each passed descriptor to its number. They go through numbers above every descriptor involved first, so that
     * moving one never overwrites another still to be moved; then everything else from 3 up is closed.
     */
    private static void passFds(PosixSpawn spawn, List<PassedFd> fds, int highestStdioFd) throws LinuxException {
        if (fds.isEmpty()) {
            spawn.closeFrom(3);
            return;
        }
        int highestTarget = fds.stream().mapToInt(PassedFd::target).max().orElseThrow();
        int above = Math.max(Math.max(highestStdioFd, highestTarget), fds.stream().mapToInt(PassedFd::source).max().orElseThrow()) + 1;
        for (int i = 0; i < fds.size(); i++) {
            spawn.dup2(fds.get(i).source(), above + i);
        }
        for (int i = 0; i < fds.size(); i++) {
            spawn.dup2(above + i, fds.get(i).target());
        }
        for (int fd = 3; fd < highestTarget; fd++) {
            int number = fd;
            if (fds.stream().noneMatch(passed -> passed.target() == number)) {
                spawn.close(fd);
            }
        }
        spawn.closeFrom(highestTarget + 1);
    }
}
