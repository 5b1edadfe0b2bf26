package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A socket of the other side that udsproxyd must mirror here ({@code /var/run/rexec/rexec_uds.sock}, the HOST's
 * rexec_server, on the DPU). {@code up} waits for it (bounded): virtd starts guests through it.
 *
 * @param server what serves the socket on the other side ("rexec_server")
 */
record MirrorRequirement(Path socket, String server, Side otherSide, Path statusSocket, Duration waitBound) implements Requirement {
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public Outcome apply(Journal journal) throws OffloadException {
        long deadline = System.nanoTime() + waitBound.toNanos();
        while (!SocketProbe.listening(socket)) {
            if (System.nanoTime() > deadline) {
                throw new OffloadException(missing() + " (waited " + waitBound.toSeconds() + " s)");
            }
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OffloadException("interrupted while waiting for " + socket);
            }
        }
        return Outcome.unchanged("ok", met());
    }

    @Override
    public Finding check() {
        return SocketProbe.listening(socket) ? Finding.met(met()) : Finding.missing(missing());
    }

    private String met() {
        return "the " + otherSide + "'s " + server + " socket is mirrored at " + socket;
    }

    /** Why not, as precisely as udsproxyd's status tells: the link, or the server on the other side. */
    private String missing() {
        UdsproxydLink link = UdsproxydLink.ask(statusSocket);
        String notMirrored = "the " + otherSide + "'s " + server + " socket is not mirrored at " + socket;
        return link.up()
                ? notMirrored + " although udsproxyd's link is up: is " + server + " running on the " + otherSide
                        + "? (dpuvirt offload check there tells)"
                : notMirrored + (link.answered() ? ": udsproxyd's link is not up" : "") + link.explain(otherSide);
    }
}
