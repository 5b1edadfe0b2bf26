package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.PeerCredentials;

import java.io.IOException;
import java.util.concurrent.ExecutorService;

/**
 * The mirroring half: a local client connected to a mirror; ask the peer to connect it to the real server and
 * relay its bytes at once (the request and the client's first message travel together).
 */
final class MirrorClients {
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
            StreamChannel channel = null;
            try {
                channel = pool.acquire();
                channel.link.send(UdsFrame.OPEN, 0, request.encode());
            } catch (IOException e) {
                if (channel != null) {
                    channel.close(); // broken: not for another stream
                }
                counters.failed.incrementAndGet();
                Log.warn("connection to " + mirror.localPath() + " dropped: cannot reach the peer: " + e.getMessage());
                return;
            }
            counters.active.incrementAndGet();
            counters.total.incrementAndGet();
            StreamRelay.Outcome outcome;
            try {
                outcome = StreamRelay.run(channel, client, fdPassing, threads, "stream " + mirror.localPath());
            } finally {
                counters.active.decrementAndGet();
            }
            switch (outcome) {
                case COMPLETED -> pool.release(channel);
                case REFUSED -> {
                    counters.refused.incrementAndGet();
                    pool.release(channel);
                }
                case BROKEN -> {
                    counters.failed.incrementAndGet();
                    channel.close();
                }
            }
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
