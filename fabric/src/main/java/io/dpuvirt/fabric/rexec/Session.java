package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.linux.TerminalCalls;
import io.dpuvirt.common.linux.WindowSize;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One client and the attached program it started. The session's own thread reads the client (stdin, signals,
 * window sizes) and writes stdin without blocking; one pump thread per output stream carries the program's output;
 * the reaper reports the exit. EXITED goes out once the program has exited and its output has been carried; then
 * the connection is shut.
 *
 * <p>If the client goes away first (killed, the link cut), the program's process group gets SIGTERM, and SIGKILL
 * after the grace period: nothing a client started attached outlives its connection.
 */
final class Session implements Runnable {
    private static final short POLLIN = 0x1, POLLOUT = 0x4;

    private final NativeSocket socket;
    private final PeerCredentials peer;
    private final SpawnRequest request;
    private final ProgramLauncher launcher;
    private final ChildRecords records;
    private final ScheduledExecutorService timers;
    private final TaskThreads threads;
    private final long killGraceMillis;
    private final SessionOutput output;
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<OutputPump> pumps = new ArrayList<>();
    private int pid;
    private String program;
    private int pumpsRunning;
    private boolean pumpsCounted;
    private ExitStatus exitStatus;
    private boolean terminating;

    Session(NativeSocket socket, PeerCredentials peer, SpawnRequest request, ProgramLauncher launcher, ChildRecords records,
            ScheduledExecutorService timers, TaskThreads threads, long killGraceMillis) {
        this.socket = socket;
        this.peer = peer;
        this.request = request;
        this.launcher = launcher;
        this.records = records;
        this.timers = timers;
        this.threads = threads;
        this.killGraceMillis = killGraceMillis;
        this.output = new SessionOutput(socket);
    }

    /** Starts the program and relays until it has ended and its output is carried (the caller closes the socket). */
    @Override
    public void run() {
        ProgramLauncher.Launched launched = start();
        if (launched != null) {
            relay(launched.stdio());
        }
    }

    /** Starts the program, or tells the client why not (null). */
    private ProgramLauncher.Launched start() {
        try {
            ProgramLauncher.Launched launched;
            synchronized (this) { // the program may end before this block does: programExited waits for it
                launched = launcher.launch(request, peer.uid(), path -> new Reaper.Child() {
                    @Override
                    public void started(ProgramId started) {
                        records.add(started);
                    }

                    @Override
                    public void ended(ProgramId ended, ExitStatus status) {
                        records.remove(ended.pid());
                        programExited(status);
                    }
                });
                pid = launched.program().pid();
                program = launched.path();
                // answered before the log line is made: formatting it is not the client's wait (interpreted, it
                // costs up to a millisecond); still in this block, so the program's end is logged after its start
                output.started(launched.program());
                Log.info(launched.describe("", peer));
            }
            return launched;
        } catch (SpawnFailedException e) {
            Log.warn("refused for peer pid " + peer.pid() + " (uid " + peer.uid() + "): " + e.getMessage());
            output.failed(e.failure());
            return null;
        }
    }

    private void relay(ChildStdio stdio) {
        StdinRelay stdin = new StdinRelay(stdio.stdin(), stdio.terminal(), output);
        try {
            startPumps(stdio);
            readClient(stdin, stdio);
        } catch (IOException e) {
            Log.warn("pid " + pid + " (" + program + "): peer pid " + peer.pid() + ": " + e.getMessage());
        } finally {
            if (!hasExited()) {
                terminate("its client went away");
            }
            awaitFinished();
            stdin.close();
            if (stdio.terminal()) {
                Libc.close(stdio.stdout());
            }
        }
    }

    /** One pump per output stream; the session cannot finish before they are all counted. */
    private void startPumps(ChildStdio stdio) throws LinuxException {
        try {
            pumps.add(new OutputPump(stdio.stdout(), !stdio.terminal(), Protocol.STDOUT, output, this::pumpEnded));
            if (stdio.stderr() >= 0) {
                pumps.add(new OutputPump(stdio.stderr(), true, Protocol.STDERR, output, this::pumpEnded));
            }
        } catch (LinuxException e) {
            // a pump made before the failure holds its wake pipe and, for a pipe, its descriptor; a terminal's master
            // is closed by relay() whatever happens (closing it here as well closed a number given out again since)
            pumps.forEach(OutputPump::discardUnstarted);
            if (pumps.isEmpty() && !stdio.terminal()) {
                Libc.close(stdio.stdout());
            }
            if (stdio.stderr() >= 0) {
                Libc.close(stdio.stderr()); // its pump is the last made: it never got one
            }
            pumps.clear();
            throw e;
        } finally {
            synchronized (this) {
                pumpsRunning = pumps.size();
                pumpsCounted = true;
                if (exitStatus != null) {
                    pumps.forEach(OutputPump::programExited);
                }
            }
        }
        for (OutputPump pump : pumps) {
            threads.start("rexec-" + pid + "-output", pump);
        }
        finishIfDone();
    }

    /** Until the client's end of stream: its frames, and stdin into the program as it takes it. */
    private void readClient(StdinRelay stdin, ChildStdio stdio) throws IOException {
        FrameReader reader = new FrameReader(new NativeWire(socket), Protocol.MAX_DATA);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(16, 8);
            for (;;) {
                pollfds.set(ValueLayout.JAVA_INT, 0, socket.fd());
                pollfds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
                pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
                pollfds.set(ValueLayout.JAVA_INT, 8, stdin.waiting() ? stdin.fd() : -1);
                pollfds.set(ValueLayout.JAVA_SHORT, 12, POLLOUT);
                pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
                Libc.poll(pollfds, 2, -1);
                if (pollfds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                    stdin.flush();
                }
                if (pollfds.get(ValueLayout.JAVA_SHORT, 6) != 0) {
                    if (reader.readOnce() < 0) {
                        return;
                    }
                    FrameReader.Frame frame;
                    while ((frame = reader.buffered()) != null) {
                        handle(frame, stdin, stdio);
                    }
                }
            }
        }
    }

    private void handle(FrameReader.Frame frame, StdinRelay stdin, ChildStdio stdio) throws IOException {
        ByteBuffer payload = frame.payload();
        switch (frame.type()) {
            case Protocol.STDIN -> stdin.offer(payload);
            case Protocol.STDIN_EOF -> stdin.endOfInput();
            case Protocol.SIGNAL -> signal(sized(frame, payload, 4).getInt(0));
            case Protocol.RESIZE -> {
                sized(frame, payload, 8);
                if (stdio.terminal()) {
                    TerminalCalls.setWindowSize(stdio.stdout(), new WindowSize(Short.toUnsignedInt(payload.getShort(0)),
                            Short.toUnsignedInt(payload.getShort(2)), Short.toUnsignedInt(payload.getShort(4)), Short.toUnsignedInt(payload.getShort(6))));
                }
            }
            case Protocol.OUTPUT_CLOSED -> stopPump(sized(frame, payload, 1).get(0) == 1 ? Protocol.STDOUT : Protocol.STDERR, stdio);
            default -> throw new ProtocolException("client sent an unexpected " + frame.describe());
        }
    }

    /** The payload of a fixed-size frame, which must have those bytes. */
    private static ByteBuffer sized(FrameReader.Frame frame, ByteBuffer payload, int length) throws ProtocolException {
        if (payload.remaining() != length) {
            throw new ProtocolException("client sent " + frame.describe() + " where " + length + " bytes belong");
        }
        return payload;
    }

    private void stopPump(int frameType, ChildStdio stdio) {
        int index = frameType == Protocol.STDOUT || stdio.terminal() ? 0 : 1;
        synchronized (this) {
            if (index < pumps.size()) {
                pumps.get(index).stop();
            }
        }
    }

    /** A forwarded signal goes to the program itself, as kill(1) on a local process would. */
    private void signal(int signal) {
        if (signal < 1 || signal > Signals.MAX) {
            Log.warn("pid " + pid + ": client asked for signal " + signal + ", which does not exist");
            return;
        }
        synchronized (this) {
            if (exitStatus == null) {
                kill(pid, signal);
            }
        }
    }

    /** SIGTERM to the program's process group now, SIGKILL to it after the grace period. */
    void terminate(String reason) {
        synchronized (this) {
            if (terminating || pid == 0) {
                return;
            }
            terminating = true;
            if (exitStatus == null) {
                Log.info("terminating pid " + pid + " (" + program + ") and its process group: " + reason);
                kill(-pid, Signals.SIGTERM);
            }
        }
        // also whatever the program left in its group that ignored SIGTERM; not once nothing is left in the group,
        // whose number may have been given to a new one since
        timers.schedule(() -> {
            if (ProcessStat.groupHasLiveMembers(pid)) {
                kill(-pid, Signals.SIGKILL);
            }
        }, killGraceMillis, TimeUnit.MILLISECONDS);
    }

    private static void kill(int target, int signal) {
        try {
            SignalCalls.kill(target, signal);
        } catch (LinuxException e) {
            if (!e.is(Errno.ESRCH)) {
                Log.warn(e.getMessage());
            }
        }
    }

    private void programExited(ExitStatus status) {
        synchronized (this) {
            exitStatus = status;
            if (pumpsCounted) {
                pumps.forEach(OutputPump::programExited);
            }
        }
        Log.info("pid " + pid + " (" + program + ") " + status);
        finishIfDone();
    }

    private void pumpEnded() {
        synchronized (this) {
            pumpsRunning--;
        }
        finishIfDone();
    }

    private synchronized boolean hasExited() {
        return exitStatus != null;
    }

    /** Once the program has exited and its output is carried: EXITED, then the connection is shut. */
    private void finishIfDone() {
        synchronized (this) {
            if (exitStatus == null || !pumpsCounted || pumpsRunning > 0 || finished.getCount() == 0) {
                return;
            }
            output.exited(exitStatus);
            finished.countDown();
        }
        socket.abort(); // wakes the session's thread, which cleans up
    }

    private void awaitFinished() {
        try {
            finished.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
