package io.dpuvirt.virt.driver;

import java.util.Objects;

/** A domain's state and why it is in it, as {@code virsh domstate --reason} shows them. */
public record DomainStatus(DomainState state, int reason) {
    public static final DomainStatus SHUT_OFF = of(StateReason.Shutoff.UNKNOWN);

    public DomainStatus {
        Objects.requireNonNull(state, "state");
    }

    public static DomainStatus of(StateReason reason) {
        return new DomainStatus(reason.state(), reason.code());
    }

    public boolean isActive() {
        return state.isActive();
    }
}
