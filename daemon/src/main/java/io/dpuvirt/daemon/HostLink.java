package io.dpuvirt.daemon;

import io.dpuvirt.fabric.link.Transport;

import java.nio.file.Path;
import java.util.Objects;

/**
 * The HOST's udsproxyd as virtd on the DPU dials it itself, with the link's key: the guests' monitors and consoles
 * and the HOST's rexec_server are then reached through that udsproxyd alone, not through the DPU's one as well (whose
 * mirrors a daemon without the key has to use). See {@code fabric.udsproxy.PeerSockets}.
 */
public record HostLink(Transport transport, Path keyFile) {
    public HostLink {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(keyFile, "keyFile");
    }

    /**
     * {@code address} is {@code ADDR:PORT} (an IPv4 literal, TCP: the test bed) or {@code vsock:CID:PORT}; an
     * IllegalArgumentException says what is wrong with it.
     */
    public static HostLink of(String address, Path keyFile) {
        return new HostLink(Transport.toPeer(address), keyFile);
    }

    @Override
    public String toString() {
        return "udsproxyd at " + transport.peer() + " (key " + keyFile + ")";
    }
}
