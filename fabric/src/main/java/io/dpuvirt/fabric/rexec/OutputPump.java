package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;

/**
 * Carries one of a program's output descriptors (stdout, stderr, or a terminal) to the client as frames, until end
 * of file, the client closing that stream, or the client going away. After the program has exited it stops at end of
 * file or after {@link #LINGER_MILLIS} without data: a background process the program left holding the descriptor
 * must not keep the session open forever.
 */
final class OutputPump implements Runnable {
    static final int LINGER_MILLIS = 100;
    private static final short POLLIN = 0x1;

    private final int fd;
    private final boolean ownsFd;
    private final int frameType;
    private final SessionOutput output;
    private final Runnable onEnd;
    /** Another thread writes a byte here to make the pump look at its flags: [read end, write end]. */
    private final int[] wake;
    private final MemorySegment frame = Arena.ofAuto().allocate(Protocol.HEADER + Protocol.MAX_DATA, 64);
    private volatile boolean programExited;
    private volatile boolean stopRequested;
    private boolean ended;

    /** {@code ownsFd}: the pump closes {@code fd} when it ends (a pipe; a terminal's master is shared with stdin). */
    OutputPump(int fd, boolean ownsFd, int frameType, SessionOutput output, Runnable onEnd) throws LinuxException {
        this.fd = fd;
        this.ownsFd = ownsFd;
        this.frameType = frameType;
        this.output = output;
        this.onEnd = onEnd;
        this.wake = Libc.pipe2(O_CLOEXEC | O_NONBLOCK);
    }

    /** For a pump never started (another could not be made): closes what it holds, as its end would. */
    void discardUnstarted() {
        Libc.close(wake[0]);
        Libc.close(wake[1]);
        if (ownsFd) {
            Libc.close(fd);
        }
    }

    void programExited() {
        programExited = true;
        poke();
    }

    /** The client closed this stream: the program's next write gets EPIPE, as with a pipe whose reader is gone. */
    void stop() {
        stopRequested = true;
        poke();
    }

    @Override
    public void run() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfds = arena.allocate(16, 8);
            pollfds.set(ValueLayout.JAVA_INT, 0, fd);
            pollfds.set(ValueLayout.JAVA_SHORT, 4, POLLIN);
            pollfds.set(ValueLayout.JAVA_INT, 8, wake[0]);
            pollfds.set(ValueLayout.JAVA_SHORT, 12, POLLIN);
            pump(pollfds);
        } catch (LinuxException e) {
            // a read error on the program's descriptor ends its stream like end of file
        } finally {
            end();
        }
    }

    private void pump(MemorySegment pollfds) throws LinuxException {
        MemorySegment payload = frame.asSlice(Protocol.HEADER);
        while (!stopRequested) {
            pollfds.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            pollfds.set(ValueLayout.JAVA_SHORT, 14, (short) 0);
            if (Libc.poll(pollfds, 2, programExited ? LINGER_MILLIS : -1) == 0) {
                return; // the program is gone and nobody wrote for a while
            }
            if (pollfds.get(ValueLayout.JAVA_SHORT, 14) != 0) {
                Libc.read(wake[0], payload, Protocol.MAX_DATA); // drained: the loop looks at the flags again
                continue;
            }
            if (pollfds.get(ValueLayout.JAVA_SHORT, 6) == 0) {
                continue;
            }
            long n;
            try {
                n = Libc.read(fd, payload, Protocol.MAX_DATA);
            } catch (LinuxException e) {
                if (e.is(Errno.EAGAIN)) {
                    continue;
                }
                if (e.is(Errno.EIO)) {
                    return; // a terminal whose slave every process has closed
                }
                throw e;
            }
            if (n == 0 || !output.data(frameType, frame, (int) n)) {
                return;
            }
        }
    }

    private synchronized void poke() {
        if (!ended) {
            try (Arena arena = Arena.ofConfined()) {
                Libc.write(wake[1], arena.allocate(1), 1);
            } catch (LinuxException e) {
                // EAGAIN: the pipe holds pokes already, one is enough
            }
        }
    }

    private void end() {
        synchronized (this) {
            ended = true;
            Libc.close(wake[0]);
            Libc.close(wake[1]);
        }
        if (ownsFd) {
            Libc.close(fd);
        }
        onEnd.run();
    }
}
