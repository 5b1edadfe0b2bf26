package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.PeerCredentials;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * Starts the program of a request with posix_spawn: the whitelisted canonical path, argv as sent, the filtered
 * environment, its working directory, a new session (setsid, so that it and its children can be signalled as a
 * process group), fds 0-2 on pipes, a terminal or (detached) files, passed descriptors at their numbers, and nothing
 * else open. Attached and detached programs pass the same checks; a detached program's run directory is made after
 * them, before it starts.
 */
final class ProgramLauncher {
    private static final byte[] ROOT = {'/'};

    private final ProgramPolicy policy;
    private final OutputDirectories outputDirectories;
    /** Where run directories may be made: beneath a state directory, as for MKDIR_PRIVATE. */
    private final FileAreas areas;
    private final Programs programs;

    ProgramLauncher(ProgramPolicy policy, OutputDirectories outputDirectories, FileAreas areas, Programs programs) {
        this.policy = policy;
        this.outputDirectories = outputDirectories;
        this.areas = areas;
        this.programs = programs;
    }

    /** A started program: its id, what was executed, the server's ends of its stdio, the variables dropped. */
    record Launched(ProgramId program, String path, ChildStdio stdio, List<String> droppedVariables) {
        /** For the log: {@code started PATH as pid N (start time T) for peer pid P (uid U), without VARIABLES}. */
        String describe(String how, PeerCredentials peer) {
            return "started " + path + how + " as " + program + " for peer pid " + peer.pid() + " (uid " + peer.uid() + ")"
                    + (droppedVariables.isEmpty() ? "" : ", without " + String.join(" ", droppedVariables));
        }
    }

    /**
     * Starts the program for the client with user id {@code uid}; {@code childOf} gives, for the canonical path
     * about to run, what is told of its start and end. The descriptors passed with the request are closed here: the
     * program has its own copies.
     */
    Launched launch(SpawnRequest request, int uid, Function<String, Reaper.Child> childOf) throws SpawnFailedException {
        try {
            return start(request, uid, childOf);
        } finally {
            for (PassedFd fd : request.fds()) {
                Libc.close(fd.source());
            }
        }
    }

    private Launched start(SpawnRequest request, int uid, Function<String, Reaper.Child> childOf) throws SpawnFailedException {
        ByteString program = request.argv().getFirst();
        byte[] path = policy.resolve(program);
        String shownPath = new String(path, StandardCharsets.UTF_8);
        Optional<FileAreas.Location> madeRunDirectory = request.detached().isPresent()
                ? makeRunDirectory(request.detached().get().runDirectory(), uid, program)
                : Optional.empty();
        try {
            return spawn(request, childOf, program, path, shownPath);
        } catch (SpawnFailedException | RuntimeException e) {
            madeRunDirectory.ifPresent(ProgramLauncher::removeRunDirectory); // nothing ran: it is empty
            throw e;
        }
    }

    private Launched spawn(SpawnRequest request, Function<String, Reaper.Child> childOf, ByteString program, byte[] path,
            String shownPath) throws SpawnFailedException {
        byte[] directory = directory(request);
        EnvironmentPolicy.Filtered environment = EnvironmentPolicy.apply(request.environment());
        List<byte[]> argv = request.argv().stream().map(ByteString::toByteArray).toList();
        ChildStdio stdio = stdio(request, program);
        try (PosixSpawn spawn = new PosixSpawn()) {
            spawn.newSession();
            stdio.addTo(spawn);
            passFds(spawn, request.fds(), stdio.highestFd());
            spawn.chdir(directory);
            ProgramId started = programs.start(() -> spawn.spawn(path, argv, environment.environment()), childOf.apply(shownPath));
            stdio.closeChildEnds();
            return new Launched(started, shownPath, stdio, environment.dropped());
        } catch (LinuxException e) {
            stdio.closeAll();
            throw new SpawnFailedException(e.is(Errno.ENOENT) ? ProgramPolicy.NOT_FOUND : ProgramPolicy.NOT_ALLOWED,
                    program + ": cannot start it on the server: " + Errno.describe(e.errno()));
        }
    }

    /** Makes the run directory if one is asked for; the one this made, to be removed again if the start fails. */
    private Optional<FileAreas.Location> makeRunDirectory(ByteString runDirectory, int uid, ByteString program)
            throws SpawnFailedException {
        if (runDirectory.length() == 0) {
            return Optional.empty();
        }
        try {
            FileAreas.Location location = areas.locate(runDirectory.toString(), FileAreas.Access.CHANGE);
            return FileOperations.createPrivateDirectory(location, uid) ? Optional.of(location) : Optional.empty();
        } catch (IOException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": its run directory " + runDirectory + ": " + e.getMessage());
        }
    }

    private static void removeRunDirectory(FileAreas.Location directory) {
        try {
            FileOperations.delete(directory);
        } catch (IOException e) {
            Log.warn("cannot remove " + directory.path() + ", made for a start that failed: " + e.getMessage());
        }
    }

    private ChildStdio stdio(SpawnRequest request, ByteString program) throws SpawnFailedException {
        if (request.detached().isPresent()) {
            DetachedFiles output = request.detached().get();
            int stdout = outputDirectories.open(output.stdout(), program.toString(), "stdout");
            try {
                return ChildStdio.files(stdout, outputDirectories.open(output.stderr(), program.toString(), "stderr"));
            } catch (SpawnFailedException e) {
                Libc.close(stdout);
                throw e;
            }
        }
        try {
            return request.terminal().isPresent() ? ChildStdio.terminal(request.terminal().get()) : ChildStdio.pipes(request.stdinFromNull());
        } catch (LinuxException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot set up its stdio on the server: " + e.getMessage());
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
