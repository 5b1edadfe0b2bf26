package io.dpuvirt.daemon;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.udsproxy.PeerSockets;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.LocalHost;
import io.dpuvirt.virt.host.remote.RemoteHost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;

/** The {@link Host} a {@link GuestHost} names; a remote one must answer before the daemon starts. */
final class GuestHosts {
    /** udsproxyd mirrors the HOST's socket within ~100 ms of its link coming up: services started together race. */
    private static final Duration PATIENCE = Duration.ofSeconds(10);
    private static final Path HOSTNAME = Path.of("/proc/sys/kernel/hostname");

    private GuestHosts() {
    }

    static Host open(GuestHost where) throws IOException {
        return switch (where) {
            case GuestHost.Local local -> new LocalHost();
            case GuestHost.Remote remote -> reach(remote);
        };
    }

    private static Host reach(GuestHost.Remote remote) throws IOException {
        Path rexecSocket = remote.rexecSocket();
        RemoteHost host;
        String route;
        String needs;
        if (remote.link().isPresent()) {
            HostLink link = remote.link().get();
            PeerSockets sockets = new PeerSockets(link.transport(), key(link.keyFile()));
            host = new RemoteHost(new RexecClient(rexecSocket, sockets), sockets::open);
            route = "rexec_server at " + rexecSocket + " through " + sockets.peer();
            needs = "the HOST's udsproxyd must listen at " + link.transport().peer() + " with the same key, "
                    + rexecSocket.getParent() + " under its [Udsconnect], and rexec_server run on the HOST";
        } else {
            host = new RemoteHost(new RexecClient(rexecSocket));
            route = "rexec_server through " + rexecSocket;
            needs = "udsproxyd must run on both sides with " + rexecSocket.getParent()
                    + " under [Udsconnect], and rexec_server on the HOST";
        }
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                String name = new String(host.readFile(HOSTNAME), StandardCharsets.UTF_8).strip();
                Log.info("guests run on the HOST " + name + ", reached: " + route);
                return host;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot reach the HOST's " + route + " within " + PATIENCE.toSeconds() + " s: "
                            + e.getMessage() + " (" + needs + ")", e);
                }
                sleep();
            }
        }
    }

    private static LinkKey key(Path file) throws IOException {
        try {
            return LinkKey.load(file);
        } catch (NoSuchFileException e) {
            throw new IOException("the link's key file " + file + " does not exist (it is the HOST udsproxyd's --key)", e);
        }
    }

    private static void sleep() throws IOException {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while reaching the HOST", e);
        }
    }
}
