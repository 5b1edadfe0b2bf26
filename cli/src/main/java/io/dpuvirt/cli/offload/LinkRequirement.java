package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.time.Duration;

/**
 * udsproxyd's link to the other side must be up. {@code up} on the DPU waits for it (bounded): the daemons started
 * after it need the HOST. {@code up} on the HOST does not: the DPU side comes up after it.
 */
record LinkRequirement(Path statusSocket, Side otherSide, Duration waitBound) implements Requirement {
    private static final Duration POLL = Duration.ofMillis(100);

    @Override
    public Outcome apply(Journal journal) throws OffloadException {
        UdsproxydLink link = UdsproxydLink.ask(statusSocket);
        long deadline = System.nanoTime() + waitBound.toNanos();
        while (!link.up() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new OffloadException("interrupted while waiting for udsproxyd's link");
            }
            link = UdsproxydLink.ask(statusSocket);
        }
        if (link.up()) {
            return Outcome.unchanged("ok", "udsproxyd's " + link.text());
        }
        if (waitBound.isZero()) {
            return Outcome.unchanged("waiting", "udsproxyd's link comes up once the " + otherSide + " side is up");
        }
        throw new OffloadException("udsproxyd's link to the " + otherSide + " did not come up within " + waitBound.toSeconds()
                + " s" + link.explain(otherSide));
    }

    @Override
    public Finding check() {
        UdsproxydLink link = UdsproxydLink.ask(statusSocket);
        return link.up() ? Finding.met("udsproxyd's " + link.text())
                : Finding.missing("udsproxyd's link to the " + otherSide + " is not up" + link.explain(otherSide));
    }
}
