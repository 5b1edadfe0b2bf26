package io.dpuvirt.daemon;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.LocalHost;
import io.dpuvirt.virt.host.remote.RemoteHost;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
            case GuestHost.Remote remote -> reach(remote.rexecSocket());
        };
    }

    private static Host reach(Path rexecSocket) throws IOException {
        RemoteHost host = new RemoteHost(new RexecClient(rexecSocket));
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (true) {
            try {
                String name = new String(host.readFile(HOSTNAME), StandardCharsets.UTF_8).strip();
                Log.info("guests run on the HOST " + name + ", reached through " + rexecSocket);
                return host;
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("cannot reach the HOST's rexec_server through " + rexecSocket + " within "
                            + PATIENCE.toSeconds() + " s: " + e.getMessage() + " (udsproxyd must run on both sides with "
                            + rexecSocket.getParent() + " under [Udsconnect], and rexec_server on the HOST)", e);
                }
                sleep();
            }
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
