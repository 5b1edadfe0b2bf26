package io.dpuvirt.cli.offload;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How this side's udsproxyd reaches the other side's: udsproxyd's own arguments.
 *
 * @param key   the pre-shared key file both sides hold
 * @param local this side's address (a vsock CID with {@code vsock})
 * @param peer  the other side's address
 * @param port  the port both sides use
 */
public record LinkSettings(Path key, String local, String peer, int port, boolean vsock) {
    public static final int DEFAULT_PORT = 12121;

    public LinkSettings {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(local, "local");
        Objects.requireNonNull(peer, "peer");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, not " + port);
        }
    }

    /** The other side's udsproxyd as virtd.conf's {@code udsproxyd} names it: {@code ADDR:PORT} or {@code vsock:CID:PORT}. */
    public String peerUdsproxyd() {
        return (vsock ? "vsock:" : "") + peer + ":" + port;
    }
}
