package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

/**
 * The serving half: on STREAM channels the peer dialed, connects each requested path to the local server —
 * only a path whose canonical form lies under this side's {@code [Udsconnect]} — and relays.
 */
final class StreamServer {
    private final Supplier<Whitelist> whitelist;
    private final FdPassing fdPassing;
    private final ExecutorService threads;
    private final StreamCounters counters;

    StreamServer(Supplier<Whitelist> whitelist, FdPassing fdPassing, ExecutorService threads, StreamCounters counters) {
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
                NativeSocket local = connectLocal(request, connection);
                if (local == null) {
                    continue;
                }
                boolean reusable;
                counters.active.incrementAndGet();
                counters.total.incrementAndGet();
                try (local) {
                    connection.send(UdsFrame.OPEN_OK);
                    reusable = StreamRelay.run(channel, local, fdPassing, threads, "stream to " + request.path());
                } finally {
                    counters.active.decrementAndGet();
                }
                if (!reusable) {
                    return;
                }
            }
        } catch (EOFException e) {
            // the peer closed an idle channel: normal
        } catch (IOException e) {
            Log.debug("stream channel from " + connection.peer() + " ended: " + e.getMessage());
        }
    }

    /** The local connection for {@code request}, or null after telling the peer why not. */
    private NativeSocket connectLocal(OpenRequest request, LinkConnection connection) throws LinuxException {
        Whitelist current = whitelist.get();
        String refusal;
        int errno;
        try {
            Path canonical = CanonicalPaths.canonical(Path.of(request.path()));
            if (!current.resolved(Whitelist.Section.UDSCONNECT).covers(canonical)) {
                refusal = "not under [Udsconnect] in " + current.source() + (canonical.toString().equals(request.path()) ? "" : " (resolves to " + canonical + ")");
                errno = io.dpuvirt.common.linux.Errno.EACCES;
            } else {
                return NativeSocket.connect(new SockAddr.Unix(canonical.toString()), request.type());
            }
        } catch (LinuxException e) {
            refusal = e.getMessage();
            errno = e.errno();
        } catch (IOException | IllegalArgumentException e) {
            refusal = e.getMessage();
            errno = io.dpuvirt.common.linux.Errno.EINVAL;
        }
        counters.refused.incrementAndGet();
        Log.warn("refused stream to " + request.path() + " for the peer's " + request.describeClient() + ": " + refusal);
        connection.send(UdsFrame.OPEN_ERROR, 0, refusalPayload(errno, refusal));
        return null;
    }

    private static byte[] refusalPayload(int errno, String message) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(errno);
            out.writeUTF(message.length() > 1000 ? message.substring(0, 1000) : message);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /** The peer's reason, from an OPEN_ERROR payload. */
    static String refusalReason(Frame frame) {
        try {
            java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(frame.bytes()));
            int errno = in.readInt();
            return in.readUTF() + " [" + io.dpuvirt.common.linux.Errno.name(errno) + "]";
        } catch (IOException e) {
            return "no reason given";
        }
    }
}
