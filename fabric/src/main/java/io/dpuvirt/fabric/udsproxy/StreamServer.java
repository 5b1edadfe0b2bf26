package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;

/**
 * The serving half: on STREAM channels the peer dialed, connects each requested path to the local server —
 * only a path whose canonical form lies under this side's {@code [Udsconnect]} — and relays.
 */
final class StreamServer {
    private static final Duration LONGEST_AWAIT = Duration.ofSeconds(5);
    private static final Duration RETRY_PAUSE = Duration.ofMillis(1);

    private final WhitelistWatcher whitelist;
    private final FdPassing fdPassing;
    private final ExecutorService threads;
    private final StreamCounters counters;

    StreamServer(WhitelistWatcher whitelist, FdPassing fdPassing, ExecutorService threads, StreamCounters counters) {
        this.whitelist = whitelist;
        this.fdPassing = fdPassing;
        this.threads = threads;
        this.counters = counters;
    }

    /** Serves one channel for as many streams as the peer sends over it. */
    void serve(LinkConnection connection) {
        StreamChannel channel = new StreamChannel(connection);
        try (channel) {
            while (true) {
                Frame frame = connection.receive();
                if (frame.type() != UdsFrame.OPEN) {
                    throw new LinkProtocolException("expected an open request, got frame " + frame.type());
                }
                OpenRequest request = OpenRequest.decode(frame.bytes());
                if (!serveStream(channel, request, frame.flags())) {
                    return;
                }
            }
        } catch (EOFException e) {
            // the peer closed an idle channel: normal
        } catch (IOException e) {
            Log.debug("stream channel from " + connection.peer() + " ended: " + e.getMessage());
        }
    }

    /** One stream; false when the channel cannot carry another. */
    private boolean serveStream(StreamChannel channel, OpenRequest request, int flags) throws IOException {
        boolean confirm = (flags & UdsFrame.CONFIRM) != 0;
        NativeSocket local;
        try {
            local = (flags & UdsFrame.AWAIT) != 0 ? connectAwaiting(channel, request) : connectLocal(request);
        } catch (RefusedException e) {
            counters.refused.incrementAndGet();
            Log.warn("refused stream to " + request.path() + " for the peer's " + request.describeClient() + ": " + e.refusal());
            channel.link.send(UdsFrame.OPEN_ERROR, 0, e.refusal().encode());
            channel.skipToPeerEnd(false); // the dialer may have sent data right behind its OPEN
            return true;
        }
        counters.active.incrementAndGet();
        counters.total.incrementAndGet();
        try (local) {
            if (confirm) {
                channel.link.send(UdsFrame.OPENED);
            }
            return StreamRelay.run(channel, local, fdPassing, threads, "stream to " + request.path())
                    != StreamRelay.Outcome.BROKEN;
        } finally {
            counters.active.decrementAndGet();
        }
    }

    /**
     * Connects, retrying every millisecond while the socket is not there yet (no file, or nobody listening) for up
     * to the request's wait, at most {@link #LONGEST_AWAIT}: the dialer learns of a socket that appears as soon as
     * this side does, without a round trip per try. Stops early when the dialer gives up (anything arrives from it).
     */
    private NativeSocket connectAwaiting(StreamChannel channel, OpenRequest request) throws RefusedException, IOException {
        long deadline = System.nanoTime() + Math.min(request.await().toNanos(), LONGEST_AWAIT.toNanos());
        Path socket = Path.of(request.path());
        while (true) {
            try {
                return connectLocal(request);
            } catch (RefusedException e) {
                boolean notYet = e.refusal().errno() == Errno.ENOENT || e.refusal().errno() == Errno.ECONNREFUSED;
                if (!notYet || !awaitedFile(channel, socket, deadline)) {
                    throw e;
                }
            }
        }
    }

    /**
     * Waits a millisecond at a time until the socket's file is there; false when the time is up or the dialer gave
     * up. A look is one stat, where a connect costs the path's resolution and check: about 0.3 ms of this daemon's
     * CPU on a busy 2-core HOST, 5–7.5 ms per guest start while virtd waited for qemu's monitor (`bench/offload`).
     */
    private static boolean awaitedFile(StreamChannel channel, Path socket, long deadline) throws IOException {
        do {
            if (System.nanoTime() > deadline || channel.link.hasBufferedInput() || channel.link.socket().awaitReadable(RETRY_PAUSE)) {
                return false;
            }
        } while (!Files.exists(socket));
        return true;
    }

    private NativeSocket connectLocal(OpenRequest request) throws RefusedException {
        try {
            PathPrefixes allowed = whitelist.resolvedUdsconnect();
            if (CanonicalPaths.isWrittenCanonically(request.path())) {
                Path written = Path.of(request.path());
                if (allowed.covers(written)) {
                    // Opened with no symlink on the way, the path as written is its canonical form: checked and used
                    // as it is. Resolving it first cost a readlink per component on every connection.
                    try {
                        return connectWithoutSymlinks(written, request.type());
                    } catch (LinuxException e) {
                        if (e.errno() != Errno.ELOOP) {
                            throw e;
                        } // a symlink on the way: checked where it leads, below
                    }
                }
            }
            Path canonical = CanonicalPaths.canonical(Path.of(request.path()));
            if (!allowed.covers(canonical)) {
                throw new RefusedException(new OpenRefusal(Errno.EACCES, "not under [Udsconnect] in " + whitelist.current().source()
                        + (canonical.toString().equals(request.path()) ? "" : " (resolves to " + canonical + ")")));
            }
            return connectWithoutSymlinks(canonical, request.type());
        } catch (LinuxException e) {
            throw new RefusedException(new OpenRefusal(e.errno(), e.getMessage()));
        } catch (IOException | IllegalArgumentException e) {
            throw new RefusedException(new OpenRefusal(Errno.EINVAL, e.getMessage()));
        }
    }

    /**
     * Connects to the socket file at {@code canonical}, which was checked, and at no other: a directory on the path
     * swapped for a symlink after the check (by whoever may write above the socket) must not lead this daemon, as
     * root, to a socket outside [Udsconnect]. The file is opened O_PATH with no symlink allowed anywhere on the path
     * (a canonical path has none), and connected to through that descriptor.
     */
    static NativeSocket connectWithoutSymlinks(Path canonical, SocketType type) throws LinuxException {
        int fd = FileCalls.openWithoutSymlinks(canonical.toString(), O_PATH | O_CLOEXEC, 0);
        try {
            return NativeSocket.connect(new SockAddr.Unix("/proc/self/fd/" + fd), type);
        } catch (LinuxException e) {
            throw new LinuxException("connect", canonical.toString(), e.errno());
        } finally {
            Libc.close(fd);
        }
    }

    /** A refusal on its way to the peer. */
    private static final class RefusedException extends Exception {
        private final transient OpenRefusal refusal;

        RefusedException(OpenRefusal refusal) {
            super(refusal.reason(), null, false, false);
            this.refusal = refusal;
        }

        OpenRefusal refusal() {
            return refusal;
        }
    }
}
