package io.dpuvirt.rpc.server;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.PrivateUnixListener;

import java.nio.channels.ServerSocketChannel;
import java.net.UnixDomainSocketAddress;
import java.net.StandardProtocolFamily;
import java.io.IOException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * A libvirt-protocol server on a unix socket: accepts clients and serves each on its own
 * {@link RpcConnection} with a {@link ProcedureHandler} made for it.
 * <p>
 * Clients are read and their calls run on one pool of platform threads, not on virtual threads: a reader blocks in
 * read(2) itself, where a virtual thread's read goes through the JDK's pollers (a master poller thread, a
 * sub-poller, then the reader: three wake-ups per message), and a call blocks in its file I/O directly, where a
 * virtual thread's makes the scheduler wake a compensating carrier. A daemon has a few clients, not thousands.
 * Measured against virtual threads (python3-libvirt, the builds taking turns): 1,000 domains listed with their
 * states in one client 36–47 ms against 47–53, by one virsh process 64–75 against 73–107; suspend and resume of an
 * idle guest 0.8–2.6 ms against 1.3–2.8.
 * <p>
 * One more thread, started when the first client asks about keepalive, times the PINGs of every client that did
 * ({@link KeepaliveClock}).
 */
public final class RpcServer implements AutoCloseable {

    private final ServerConfig config;
    private final PrivateUnixListener<ServerSocketChannel> binding;
    private final Function<ClientSession, ProcedureHandler> handlers;
    private final Set<RpcConnection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong nextClientId = new AtomicLong(1);
    private final Thread acceptor;
    /** Reads every client and runs its calls ({@link RpcConnection}); its threads end after a minute without work. */
    private final ExecutorService calls = Executors.newCachedThreadPool(
            Thread.ofPlatform().daemon().name("rpc-", 1).factory());
    private final KeepaliveClock keepaliveClock;

    private RpcServer(ServerConfig config, PrivateUnixListener<ServerSocketChannel> binding, Function<ClientSession, ProcedureHandler> handlers) {
        this.config = config;
        this.binding = binding;
        this.handlers = handlers;
        this.keepaliveClock = new KeepaliveClock(config.keepalive(), calls);
        this.acceptor = Thread.ofPlatform().daemon().name("rpc-accept " + binding.path()).unstarted(this::acceptLoop);
    }

    /** Listens at {@code config.socketPath()} and serves clients until {@link #close()}. */
    public static RpcServer start(ServerConfig config, Function<ClientSession, ProcedureHandler> handlers)
            throws IOException {
        RpcServer server = new RpcServer(config, PrivateUnixListener.bind(config.socketPath(), config.socketPermissions(), RpcServer::listenAt),
                handlers);
        server.acceptor.start();
        return server;
    }

    public Path socketPath() {
        return binding.path();
    }

    /** Stops accepting, disconnects every client and removes the socket file. */
    @Override
    public void close() throws IOException {
        binding.close();
        try {
            acceptor.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        connections.forEach(RpcConnection::close);
        keepaliveClock.close();
        calls.shutdown();
    }

    private void acceptLoop() {
        try {
            while (true) {
                SocketChannel client = binding.socket().accept();
                RpcConnection connection = new RpcConnection(nextClientId.getAndIncrement(), client, config.auth(),
                        handlers, calls, keepaliveClock);
                connections.add(connection);
                connection.start(() -> connections.remove(connection));
            }
        } catch (ClosedChannelException e) {
            Log.debug("stopped accepting on " + binding.path());
        } catch (IOException e) {
            Log.error("accepting on " + binding.path() + " failed; no new clients will be served", e);
        }
    }

    private static ServerSocketChannel listenAt(Path path) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        try {
            channel.bind(UnixDomainSocketAddress.of(path));
            return channel;
        } catch (IOException e) {
            channel.close();
            throw e;
        }
    }
}
