package io.dpuvirt.daemon;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the guests run: on the daemon's own machine, or — the daemon being on a DPU — on the HOST, reached
 * through the HOST's rexec_server at {@code rexecSocket}: with a {@link HostLink}, the HOST's path of the socket,
 * dialed through the HOST's udsproxyd; without, udsproxyd's mirror of it on the DPU (and the guests' sockets too).
 */
public sealed interface GuestHost {
    Path DEFAULT_REXEC_SOCKET = Path.of("/var/run/rexec/rexec_uds.sock");

    record Local() implements GuestHost {
        @Override
        public String toString() {
            return "local";
        }
    }

    record Remote(Path rexecSocket, Optional<HostLink> link) implements GuestHost {
        public Remote {
            Objects.requireNonNull(rexecSocket, "rexecSocket");
            Objects.requireNonNull(link, "link");
        }

        /** Through udsproxyd's mirrors on the DPU. */
        public Remote(Path rexecSocket) {
            this(rexecSocket, Optional.empty());
        }

        @Override
        public String toString() {
            return "remote (rexec_server at " + rexecSocket + link.map(l -> " through " + l).orElse(", mirrored") + ")";
        }
    }
}
