package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.Backoff;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * The control channels between the two daemons. Each side dials one to the other and tells it, over that one,
 * which sockets it offers (a full list whenever the list changes) and that it is alive (a ping a second). A side
 * learns the peer's offers on the channel the peer dialed. A channel silent for {@link #SILENCE} is dead: the
 * dialer reconnects with backoff, and the receiver drops the peer's offers (its mirrors go away).
 */
final class ControlLink {
    static final Duration PING_INTERVAL = Duration.ofSeconds(1);
    static final Duration SILENCE = Duration.ofMillis(3500);

    private final LinkEndpoint endpoint;
    private final Consumer<List<SocketExport>> onPeerExports;
    private final Runnable onOutboundUp;
    private final Runnable onOutboundDown;
    private final AtomicReference<List<SocketExport>> localExports = new AtomicReference<>(List.of());
    private final Semaphore exportsChanged = new Semaphore(0);
    private final AtomicReference<LinkConnection> inbound = new AtomicReference<>();
    private volatile boolean running = true;
    private volatile boolean outboundUp;
    private volatile Instant upSince;
    private volatile String peerDescription = "unknown";
    private volatile String lastError = "";
    private volatile LinkConnection outbound;

    ControlLink(LinkEndpoint endpoint, Consumer<List<SocketExport>> onPeerExports, Runnable onOutboundUp, Runnable onOutboundDown) {
        this.endpoint = endpoint;
        this.onPeerExports = onPeerExports;
        this.onOutboundUp = onOutboundUp;
        this.onOutboundDown = onOutboundDown;
    }

    void start() {
        Thread.ofPlatform().daemon().name("control-dialer").start(this::dialLoop);
    }

    /** Called by the scanner with this side's current offers; sent at once if they changed. */
    void publish(List<SocketExport> exports) {
        if (!exports.equals(localExports.getAndSet(exports))) {
            exportsChanged.release();
        }
    }

    boolean outboundUp() {
        return outboundUp;
    }

    boolean inboundUp() {
        return inbound.get() != null;
    }

    Instant upSince() {
        return upSince;
    }

    String peerDescription() {
        return peerDescription;
    }

    String lastError() {
        return lastError;
    }

    private void dialLoop() {
        Backoff backoff = new Backoff(Duration.ofMillis(50), Duration.ofSeconds(2));
        String reportedOutage = null;
        while (running) {
            try (LinkConnection connection = endpoint.dial(ChannelKind.CONTROL)) {
                outbound = connection;
                backoff.reset();
                reportedOutage = null;
                converse(connection);
            } catch (OutOfMemoryError e) {
                // no thread for the channel's pongs (a task limit): this channel ends, the dialing goes on
                lastError = "no thread: " + e.getMessage();
                Log.error("link: " + lastError);
            } catch (IOException e) {
                lastError = e.getMessage();
                if (outboundUp) {
                    Log.warn("link down: " + e.getMessage());
                } else if (!e.getMessage().equals(reportedOutage)) {
                    // once per outage and reason, not once per retry
                    Log.warn("link: cannot reach peer " + endpoint.transport().peer() + ": " + e.getMessage() + " (retrying)");
                    reportedOutage = e.getMessage();
                }
            } finally {
                outbound = null;
                if (outboundUp) {
                    outboundUp = false;
                    onOutboundDown.run();
                }
            }
            if (running) {
                sleep(backoff.next());
            }
        }
    }

    /** Runs an established outbound control channel until it fails. */
    private void converse(LinkConnection connection) throws IOException {
        connection.send(UdsFrame.HELLO, 0, hello());
        AtomicReference<Instant> lastPong = new AtomicReference<>(Instant.now());
        AtomicReference<IOException> readFailure = new AtomicReference<>();
        Thread reader = Thread.ofPlatform().daemon().name("control-pongs").start(() -> readPongs(connection, lastPong, readFailure));
        try {
            outboundUp = true;
            upSince = Instant.now();
            lastError = "";
            Log.info("link up: control channel to " + connection.peer() + (endpoint.authenticated() ? " (authenticated)" : " (UNAUTHENTICATED)"));
            onOutboundUp.run();
            List<SocketExport> sent = null;
            Instant lastPing = Instant.MIN;
            while (running) {
                if (readFailure.get() != null) {
                    throw readFailure.get();
                }
                List<SocketExport> exports = localExports.get();
                if (!exports.equals(sent)) {
                    connection.send(UdsFrame.EXPORTS, 0, encode(exports));
                    sent = exports;
                }
                Instant now = Instant.now();
                if (Duration.between(lastPong.get(), now).compareTo(SILENCE) > 0) {
                    throw new IOException("peer stopped answering for " + SILENCE.toMillis() + " ms");
                }
                if (Duration.between(lastPing, now).compareTo(PING_INTERVAL) >= 0) {
                    connection.send(UdsFrame.PING);
                    lastPing = now;
                }
                exportsChanged.tryAcquire(PING_INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
                exportsChanged.drainPermits();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            connection.abort();
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void readPongs(LinkConnection connection, AtomicReference<Instant> lastPong, AtomicReference<IOException> failure) {
        try {
            while (true) {
                if (connection.receive().type() == UdsFrame.PONG) {
                    lastPong.set(Instant.now());
                }
            }
        } catch (IOException e) {
            failure.set(e);
            exportsChanged.release(); // wakes the sender at once, which reports the failure
        }
    }

    /** Serves a control channel the peer dialed: its HELLO, its offers and its pings. */
    void serveInbound(LinkConnection connection) {
        LinkConnection previous = inbound.getAndSet(connection);
        if (previous != null) {
            previous.abort(); // the peer reconnected (it restarted): the new channel supersedes the old
        }
        try {
            connection.socket().setReceiveTimeout(SILENCE);
            while (running) {
                Frame frame = connection.receive();
                switch (frame.type()) {
                    case UdsFrame.HELLO -> peerDescription = readHello(frame) + " at " + connection.peer();
                    case UdsFrame.EXPORTS -> onPeerExports.accept(decode(frame));
                    case UdsFrame.PING -> connection.send(UdsFrame.PONG);
                    default -> throw new LinkProtocolException("unexpected frame " + frame.type() + " on the control channel");
                }
            }
        } catch (LinuxException e) {
            if (running) {
                Log.warn("peer's control channel lost: " + (e.is(Errno.EAGAIN) ? "silent for " + SILENCE.toMillis() + " ms" : e.getMessage()));
            }
        } catch (IOException e) {
            if (running) {
                Log.warn("peer's control channel lost: " + e.getMessage());
            }
        } finally {
            if (inbound.compareAndSet(connection, null)) {
                onPeerExports.accept(List.of());
            }
            connection.close();
        }
    }

    void stop() {
        running = false;
        exportsChanged.release();
        LinkConnection out = outbound;
        if (out != null) {
            out.abort();
        }
        LinkConnection in = inbound.get();
        if (in != null) {
            in.abort();
        }
    }

    private static byte[] hello() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            String host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
            out.writeUTF("udsproxyd pid " + ProcessHandle.current().pid() + " on " + host);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String readHello(Frame frame) throws IOException {
        return new DataInputStream(new ByteArrayInputStream(frame.bytes())).readUTF();
    }

    /**
     * The EXPORTS frame's payload: as many of {@code exports} as one frame carries (about 13,000 sockets). A longer
     * list would be refused by the peer, which drops the control channel, and the link would come up and go down
     * for good; the sockets left out are named in the log instead.
     */
    static byte[] encode(List<SocketExport> exports) {
        ByteArrayOutputStream entries = new ByteArrayOutputStream();
        int count = 0;
        try (DataOutputStream out = new DataOutputStream(entries)) {
            for (SocketExport export : exports) {
                ByteArrayOutputStream entry = new ByteArrayOutputStream();
                export.writeTo(new DataOutputStream(entry));
                if (Integer.BYTES + entries.size() + entry.size() > Frame.MAX_PAYLOAD) {
                    Log.warn("offering " + count + " of " + exports.size() + " sockets to the peer, as many as one frame carries;"
                            + " not offered: " + export.path() + (exports.size() - count > 1 ? " and " + (exports.size() - count - 1) + " more" : ""));
                    break;
                }
                entry.writeTo(out);
                count++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteArrayOutputStream frame = new ByteArrayOutputStream(Integer.BYTES + entries.size());
        try (DataOutputStream out = new DataOutputStream(frame)) {
            out.writeInt(count);
            entries.writeTo(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return frame.toByteArray();
    }

    static List<SocketExport> decode(Frame frame) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(frame.bytes()));
        int count = in.readInt();
        if (count < 0 || count > 100_000) {
            throw new LinkProtocolException("peer announced " + count + " sockets");
        }
        List<SocketExport> exports = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            exports.add(SocketExport.readFrom(in));
        }
        return List.copyOf(exports);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
