package io.dpuvirt.virt.driver.qemu;

import java.nio.file.Path;
import java.util.Objects;

/** Where a guest's serial port or console goes on the host. */
public sealed interface CharBackend {
    /**
     * A unix socket the hypervisor listens on without waiting for a client: {@code virsh console} connects
     * to it. A {@code pty} in the XML becomes one in the guest's private directory, so that the console
     * needs no terminal on the host, outlives a daemon restart and can be reached across a DPU link.
     */
    record Listen(Path socket) implements CharBackend {
        public Listen {
            Objects.requireNonNull(socket, "socket");
        }
    }

    /** A unix socket someone else listens on ({@code <source mode='connect'>}). */
    record Connect(Path socket) implements CharBackend {
        public Connect {
            Objects.requireNonNull(socket, "socket");
        }
    }

    /** A file the output is appended to. */
    record File(Path path) implements CharBackend {
        public File {
            Objects.requireNonNull(path, "path");
        }
    }
}
