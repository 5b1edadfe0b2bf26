package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Serves the connections about detached programs: a detached spawn, answered STARTED, after which the connection
 * watches the program as a WATCH does (its client may stay to be told EXITED, or go: nothing happens to the
 * program either way); and each request about a detached program, checked against the {@link DetachedPrograms}
 * registry first, so that none reaches a process the server did not start detached.
 */
final class DetachedService {
    private final ProgramLauncher launcher;
    private final DetachedPrograms registry;
    /** Where a WATCH's cleanup directory may be: beneath a state directory, as for the file requests that change. */
    private final FileAreas areas;

    DetachedService(ProgramLauncher launcher, DetachedPrograms registry, FileAreas areas) {
        this.launcher = launcher;
        this.registry = registry;
        this.areas = areas;
    }

    /**
     * Starts a detached program (checked as any other), answers STARTED, then watches it until it ends or the client
     * goes; at its end, its run directory goes as a WATCH's cleanup directory does.
     */
    void spawn(NativeSocket socket, PeerCredentials peer, SpawnRequest request) {
        SessionOutput output = new SessionOutput(socket);
        ProgramLauncher.Launched launched;
        try {
            launched = launcher.launch(request, peer.uid(), path -> registry.child(path, peer.uid()));
        } catch (SpawnFailedException e) {
            Log.warn("refused for peer pid " + peer.pid() + " (uid " + peer.uid() + "): " + e.getMessage());
            output.failed(e.failure());
            return;
        }
        ProgramId program = launched.program();
        output.started(program); // before the log line is made, as in Session
        DetachedFiles files = request.detached().orElseThrow();
        Log.info(launched.describe(" detached", peer) + "; stdout " + shown(files.stdout()) + ", stderr " + shown(files.stderr()));
        // the connection watches the program as a WATCH naming the run directory would (made beneath a --state-dir
        // just now, so located again without a refusal), from before the client confirms the start
        ProgramRequest.Watch watch = new ProgramRequest.Watch(program, files.runDirectory().toString());
        try {
            watchUntilEnd(socket, output, program, peer.uid(), cleanup(watch), true);
        } catch (RequestRefusedException e) {
            refused(peer, output, watch, e);
        }
    }

    private static String shown(ByteString path) {
        return path.length() == 0 ? "/dev/null" : path.toString();
    }

    /** Answers the request on {@code output}, the connection's; a watch keeps {@code socket} until the program ends or the client goes. */
    void serve(NativeSocket socket, PeerCredentials peer, SessionOutput output, ProgramRequest request) {
        ProgramId program = request.program();
        try {
            switch (request) {
                case ProgramRequest.Signal signal -> {
                    registry.signal(program, peer.uid(), signal.signal());
                    output.done();
                    Log.info("sent " + Signals.name(signal.signal()) + " to detached " + program + " for peer pid " + peer.pid());
                }
                case ProgramRequest.Status status -> output.state(registry.state(program, peer.uid()));
                case ProgramRequest.Watch watch -> watchUntilEnd(socket, output, program, peer.uid(), cleanup(watch), false);
                case ProgramRequest.Affinity affinity -> {
                    setAffinity(affinity, peer.uid());
                    output.done();
                    Log.info("pinned thread " + affinity.thread() + " of detached " + program + " to CPUs " + affinity.cpus()
                            + " for peer pid " + peer.pid());
                }
                case ProgramRequest.CpuTime cpuTime -> output.cpuTime(cpuNanos(program, peer.uid()));
            }
        } catch (RequestRefusedException e) {
            refused(peer, output, request, e);
        }
    }

    /** The refusal answered, and logged: a program that has ended only as information. */
    private static void refused(PeerCredentials peer, SessionOutput output, ProgramRequest request, RequestRefusedException e) {
        String message = Protocol.typeName(request.type()) + " refused for peer pid " + peer.pid() + " (uid " + peer.uid() + "): " + e.getMessage();
        if (e.programGone()) {
            Log.info(message);
        } else {
            Log.warn(message);
        }
        output.failed(e.failure());
    }

    /** Where the watch's cleanup directory is, checked now: a refusal answers the WATCH at once. */
    private Optional<FileAreas.Location> cleanup(ProgramRequest.Watch watch) throws RequestRefusedException {
        if (watch.cleanup().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(areas.locate(watch.cleanup(), FileAreas.Access.CHANGE));
        } catch (RequestRefusedException e) {
            throw e;
        } catch (IOException e) {
            throw RequestRefusedException.refused(watch.cleanup() + ": " + e.getMessage());
        }
    }

    /**
     * Until the program ends (then its cleanup directory is removed and EXITED sent) or the client goes away,
     * whichever comes first. A program the registry no longer knows ended long ago: its directory goes too.
     *
     * <p>The watch of a detached SPAWN ({@code startedHere}) first waits for the client's CONFIRM. A client that goes
     * before confirming gets its program killed, the directory removed at its end as if the client had stayed.
     */
    private void watchUntilEnd(NativeSocket socket, SessionOutput output, ProgramId program, int uid,
            Optional<FileAreas.Location> cleanup, boolean startedHere) throws RequestRefusedException {
        Watch watch = new Watch(socket, output, cleanup);
        Consumer<ProgramState.Ended> watcher = watch::ended;
        Optional<ProgramState.Ended> known;
        try {
            known = registry.watch(program, uid, watcher);
        } catch (RequestRefusedException e) {
            if (e.programGone()) {
                cleanup.map(DetachedService::removeDirectory).ifPresent(Log::info);
            }
            throw e;
        }
        if (known.isPresent()) {
            watch.ended(known.get());
            return;
        }
        boolean stillWatching = false;
        try {
            if (startedHere && !confirmed(socket)) {
                stillWatching = !watch.clientGone(); // its end, when it comes, only removes the directory
                registry.killUnconfirmed(program);
                return;
            }
            if (startedHere) {
                registry.confirm(program);
            }
            awaitEndOfStream(socket);
        } finally {
            if (!stillWatching) {
                registry.unwatch(program, watcher);
                watch.finish();
            }
        }
    }

    /**
     * Whether the client's next frame is CONFIRM; false if the connection ended before (the client gone, the link
     * lost, or the program's end told on it already).
     */
    private static boolean confirmed(NativeSocket socket) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment header = arena.allocate(Protocol.HEADER);
            socket.readFully(header, Protocol.HEADER);
            ByteBuffer frame = header.asByteBuffer();
            if (Protocol.type(frame, 0) == Protocol.CONFIRM && frame.getInt(4) == 0) {
                return true;
            }
            Log.warn("the client of a detached SPAWN sent " + Protocol.typeName(Protocol.type(frame, 0)) + " instead of CONFIRM");
            return false;
        } catch (EOFException | LinuxException e) {
            return false; // ECONNRESET: gone just the same
        }
    }

    /**
     * Tells one watching client of the end, unless its connection is finished: then the socket may be closed and
     * its descriptor number reused, and nothing may be written to it. The watch of a start whose client went before
     * confirming stays registered, to remove the directory at the end.
     */
    private static final class Watch {
        private final NativeSocket socket;
        private final SessionOutput output;
        private final Optional<FileAreas.Location> cleanup;
        private boolean ended;
        private boolean clientGone;
        private boolean finished;

        Watch(NativeSocket socket, SessionOutput output, Optional<FileAreas.Location> cleanup) {
            this.socket = socket;
            this.output = output;
            this.cleanup = cleanup;
        }

        synchronized void ended(ProgramState.Ended end) {
            if (finished || ended) {
                return;
            }
            ended = true;
            String removed = cleanup.map(DetachedService::removeDirectory).orElse(null);
            if (!clientGone) {
                output.exited(end);
                socket.abort(); // wakes the connection's thread
            }
            if (removed != null) {
                Log.info(removed); // once the client is told
            }
        }

        /** The client went: nothing more is written to its socket. Whether the end had come already. */
        synchronized boolean clientGone() {
            clientGone = true;
            return ended;
        }

        synchronized void finish() {
            finished = true;
        }
    }

    /**
     * A watched program's directory, after its end; what it did, for the log. What stays is logged (a failure at
     * once), the client is told of the end anyway.
     */
    private static String removeDirectory(FileAreas.Location directory) {
        try {
            return FileOperations.deleteDirectoryWithFiles(directory)
                    ? "removed " + directory.path() + " with its files, after the program's end"
                    : "nothing removed at " + directory.path() + " after the program's end: no directory, or it holds one";
        } catch (IOException e) {
            Log.warn("cannot remove " + directory.path() + " after the program's end: " + e.getMessage());
            return null;
        }
    }

    /** Reads until the client's end of stream (or the abort after EXITED); a watching client has nothing more to say. */
    private static void awaitEndOfStream(NativeSocket socket) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(64);
            if (socket.read(buffer, buffer.byteSize()) > 0) {
                Log.warn("a watching client sent more: dropped");
            }
        } catch (LinuxException e) {
            // ECONNRESET: gone just the same
        }
    }

    /** sched_setaffinity of one of the program's threads, which /proc/PID/task/TID must show. */
    private void setAffinity(ProgramRequest.Affinity request, int uid) throws RequestRefusedException {
        ProgramId program = request.program();
        registry.checkRunning(program, uid);
        if (!Files.isDirectory(Path.of("/proc", Integer.toString(program.pid()), "task", Integer.toString(request.thread())))) {
            throw RequestRefusedException.refused("thread " + request.thread() + " is not a thread of " + program);
        }
        // a thread that ends right now could have its id reused before the call: the one race left, as for any thread
        try {
            ProcessCalls.setAffinity(request.thread(), request.cpus());
        } catch (LinuxException e) {
            throw RequestRefusedException.refused(e.getMessage());
        }
    }

    private long cpuNanos(ProgramId program, int uid) throws RequestRefusedException {
        registry.checkRunning(program, uid);
        return ProcessStat.read(program.pid()).filter(stat -> stat.startTime() == program.startTime()).map(ProcessStat::cpuNanos)
                .orElseThrow(() -> RequestRefusedException.gone(program + " has ended"));
    }
}
