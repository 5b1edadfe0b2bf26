package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;

import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The HOST's rfs server (the original's "engine"): accepts authenticated RFS channels and serves the exports the
 * whitelist's [Mount] allows, each operation checked against its own section.
 */
public final class RfsServer implements AutoCloseable {
    /** Requests run on platform threads (system calls through FFM block them); a blocked open only costs a thread. */
    private static final int MAX_WORKERS = 256;

    private final PolicyWatcher policy;
    private final ExecutorService workers;
    private final ExecutorService connections;
    private final LinkEndpoint endpoint;

    private RfsServer(Transport transport, LinkKey key, PolicyWatcher policy) {
        this.policy = policy;
        this.workers = new ThreadPoolExecutor(0, MAX_WORKERS, 30, TimeUnit.SECONDS, new SynchronousQueue<>(),
                Thread.ofPlatform().daemon().name("rfs-worker-", 0).factory());
        this.connections = java.util.concurrent.Executors.newCachedThreadPool(
                Thread.ofPlatform().daemon().name("rfs-conn-", 0).factory());
        this.endpoint = new LinkEndpoint(transport, new Handshake(key), connections);
        endpoint.register(ChannelKind.RFS, this::serve);
    }

    public static RfsServer start(Transport transport, LinkKey key, Path whitelist) throws ConfigException, java.io.IOException {
        // modes arrive with the DPU caller's umask already applied; ours must not apply a second time
        FileCalls.umask(0);
        RfsServer server = new RfsServer(transport, key, new PolicyWatcher(whitelist));
        server.endpoint.start();
        Log.info("rfs server listening on " + transport.local() + " (" + (key == null ? "UNAUTHENTICATED" : "authenticated")
                + "), whitelist " + whitelist);
        return server;
    }

    private void serve(LinkConnection connection) {
        new ClientSession(connection, policy::current, workers).serve();
    }

    @Override
    public void close() {
        endpoint.close();
        policy.close();
        workers.shutdownNow();
        connections.shutdownNow();
    }
}
