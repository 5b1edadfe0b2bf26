package io.dpuvirt.virt.driver.qemu;

import java.util.Objects;

/**
 * One serial port or console of a guest: its alias ({@code serial0}, {@code console0}, or the one the XML
 * gives), the character device behind it, and what the guest sees. A console of target type
 * {@code serial} is the serial port of the same number ({@link Frontend#SAME_AS_SERIAL}), as in libvirt.
 */
public record GuestChar(String alias, String chardevId, CharBackend backend, Frontend frontend, int port) {
    public enum Frontend { SERIAL, VIRTIO_CONSOLE, SAME_AS_SERIAL }

    public GuestChar {
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(chardevId, "chardevId");
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(frontend, "frontend");
    }

    /** Whether the command line needs a character device of its own for it. */
    public boolean ownsChardev() {
        return frontend != Frontend.SAME_AS_SERIAL;
    }
}
