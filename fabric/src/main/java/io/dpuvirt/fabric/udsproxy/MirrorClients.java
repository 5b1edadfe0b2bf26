package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;
import io.dpuvirt.fabric.link.Frame;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;

/**
 * The mirroring half: a local client connected to a mirror; ask the peer to connect it to the real server and
 * relay. A pooled channel that died while idle is replaced once by a freshly dialed one.
 */
final class MirrorClients {
    private static final Duration OPEN_TIMEOUT = Duration.ofSeconds(5);

    private final StreamPool pool;
    private final FdPassing fdPassing;
    private final ExecutorService threads;
    private final StreamCounters counters;

    MirrorClients(StreamPool pool, FdPassing fdPassing, ExecutorService threads, StreamCounters counters) {
        this.pool = pool;
        this.fdPassing = fdPassing;
        this.threads = threads;
        this.counters = counters;
    }

    void serve(Mirror mirror, NativeSocket client) {
        try (client) {
            OpenRequest request = new OpenRequest(mirror.remote().path(), mirror.remote().type(), credentials(client));
            for (int attempt = 0; attempt < 2; attempt++) {
                StreamPool.Lease lease;
                try {
                    lease = pool.acquire();
                } catch (IOException e) {
                    counters.failed.incrementAndGet();
                    Log.warn("connection to " + mirror.localPath() + " dropped: cannot reach the peer: " + e.getMessage());
                    return;
                }
                StreamChannel channel = lease.channel();
                Frame answer;
                try {
                    channel.link.send(UdsFrame.OPEN, 0, request.encode());
                    answer = channel.receive(OPEN_TIMEOUT);
                } catch (IOException e) {
                    channel.close();
                    if (lease.pooled()) {
                        continue; // it died while idle (the peer restarted): try a fresh one
                    }
                    counters.failed.incrementAndGet();
                    Log.warn("connection to " + mirror.localPath() + " dropped: " + e.getMessage());
                    return;
                }
                if (answer.type() == UdsFrame.OPEN_ERROR) {
                    counters.refused.incrementAndGet();
                    Log.warn("connection to " + mirror.localPath() + " refused by the peer: " + StreamServer.refusalReason(answer));
                    pool.release(channel);
                    return;
                }
                if (answer.type() != UdsFrame.OPEN_OK) {
                    channel.close();
                    counters.failed.incrementAndGet();
                    Log.warn("connection to " + mirror.localPath() + " dropped: peer answered frame " + answer.type());
                    return;
                }
                relay(mirror, client, channel);
                return;
            }
        }
    }

    private void relay(Mirror mirror, NativeSocket client, StreamChannel channel) {
        counters.active.incrementAndGet();
        counters.total.incrementAndGet();
        boolean reusable;
        try {
            reusable = StreamRelay.run(channel, client, fdPassing, threads, "stream " + mirror.localPath());
        } finally {
            counters.active.decrementAndGet();
        }
        if (reusable) {
            pool.release(channel);
        } else {
            channel.close();
        }
    }

    private static PeerCredentials credentials(NativeSocket client) {
        try {
            return client.peerCredentials();
        } catch (LinuxException e) {
            return new PeerCredentials(-1, -1, -1);
        }
    }
}
