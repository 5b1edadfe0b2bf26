package io.dpuvirt.daemon;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where the guests run: on the daemon's own machine, or — the daemon being on a DPU — on the HOST, reached
 * through the HOST's rexec_server at {@code rexecSocket} (udsproxyd's mirror of it on the DPU).
 */
public sealed interface GuestHost {
    Path DEFAULT_REXEC_SOCKET = Path.of("/var/run/rexec/rexec_uds.sock");

    record Local() implements GuestHost {
        @Override
        public String toString() {
            return "local";
        }
    }

    record Remote(Path rexecSocket) implements GuestHost {
        public Remote {
            Objects.requireNonNull(rexecSocket, "rexecSocket");
        }

        @Override
        public String toString() {
            return "remote (rexec_server through " + rexecSocket + ")";
        }
    }
}
