package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** What happens when the guest powers off, reboots or crashes ({@code on_poweroff}, {@code on_reboot}, {@code on_crash}). */
public record Lifecycle(Optional<Action> onPoweroff, Optional<Action> onReboot, Optional<Action> onCrash) {
    public enum Action implements XmlEnum { DESTROY, RESTART, PRESERVE, RENAME_RESTART, COREDUMP_DESTROY, COREDUMP_RESTART }

    public static final Lifecycle UNSET = new Lifecycle(Optional.empty(), Optional.empty(), Optional.empty());

    public Lifecycle {
        Objects.requireNonNull(onPoweroff, "onPoweroff");
        Objects.requireNonNull(onReboot, "onReboot");
        Objects.requireNonNull(onCrash, "onCrash");
    }
}
