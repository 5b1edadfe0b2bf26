package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;

import java.io.IOException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * This side's end of the link: listens on the transport's local address, authenticates every connection, and
 * hands it to the service registered for the channel kind the dialer asked for; and dials the peer for
 * connections of its own. Services (udsproxy, later rexec and rfs) only ever see authenticated connections.
 */
public final class LinkEndpoint implements AutoCloseable {
    public static final Duration DIAL_TIMEOUT = Duration.ofSeconds(3);
    /**
     * How often the accept loop looks at {@link #closed} while nobody connects: a shutdown wakes an accept on a TCP
     * listener, but not on a vsock one (ENOTCONN), whose port would stay bound by a blocked accept otherwise.
     */
    static final Duration CLOSE_CHECK = Duration.ofMillis(500);

    private final Transport transport;
    private final Handshake handshake;
    private final ExecutorService threads;
    private final Map<ChannelKind, Consumer<LinkConnection>> services = new EnumMap<>(ChannelKind.class);
    private volatile NativeSocket listener;
    private volatile boolean closed;

    public LinkEndpoint(Transport transport, Handshake handshake, ExecutorService threads) {
        this.transport = transport;
        this.handshake = handshake;
        this.threads = threads;
    }

    /** {@code service} takes ownership of each authenticated connection of {@code kind}, on its own thread. */
    public synchronized void register(ChannelKind kind, Consumer<LinkConnection> service) {
        services.put(kind, service);
    }

    public Transport transport() {
        return transport;
    }

    public boolean authenticated() {
        return handshake.authenticated();
    }

    /** Binds the local address (at once, even right after a restart) and starts accepting. */
    public void start() throws LinuxException {
        listener = transport.listen();
        Thread.ofPlatform().daemon().name("link-accept").start(this::acceptLoop);
    }

    private void acceptLoop() {
        try {
            acceptUntilClosed();
        } finally {
            listener.close(); // here, not in close(): no accept() may run on a descriptor number already reused
        }
    }

    private void acceptUntilClosed() {
        while (!closed) {
            NativeSocket socket;
            try {
                if (!listener.awaitReadable(CLOSE_CHECK)) {
                    continue;
                }
                socket = listener.accept();
            } catch (LinuxException e) {
                if (!closed) {
                    Log.error("link: accept on " + transport.local() + " failed: " + e.getMessage());
                    sleepQuietly(Duration.ofMillis(100));
                }
                continue;
            }
            try {
                threads.execute(() -> admit(socket));
            } catch (RejectedExecutionException e) {
                socket.close();
            } catch (OutOfMemoryError e) {
                // no thread could be made (a task limit): refuse this one, keep accepting
                Log.error("link: no thread for a connection from " + socket.peerAddress() + ": " + e.getMessage());
                socket.close();
                sleepQuietly(Duration.ofMillis(100));
            }
        }
    }

    private void admit(NativeSocket socket) {
        String peer = socket.peerAddress();
        ChannelKind kind;
        try {
            transport.tune(socket);
            kind = handshake.accept(socket);
        } catch (IOException e) {
            Log.warn("link: refused connection from " + peer + ": " + e.getMessage());
            socket.close();
            return;
        }
        Consumer<LinkConnection> service;
        synchronized (this) {
            service = services.get(kind);
        }
        if (service == null) {
            Log.warn("link: refused " + kind + " connection from " + peer + ": no such service on this side");
            socket.close();
            return;
        }
        service.accept(new LinkConnection(socket, peer));
    }

    /** A new authenticated connection to the peer for {@code kind}. */
    public LinkConnection dial(ChannelKind kind) throws IOException {
        NativeSocket socket = transport.dial(DIAL_TIMEOUT);
        try {
            handshake.dial(socket, kind);
            return new LinkConnection(socket, transport.peer().toString());
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    private static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        NativeSocket socket = listener;
        if (socket != null) {
            socket.abort();
        }
    }
}
