package io.dpuvirt.virt.qmp;

import java.util.Objects;

/**
 * What {@code query-status} says: whether the vCPUs run, and the hypervisor's run state ({@code running},
 * {@code paused}, {@code prelaunch}, {@code shutdown}, {@code guest-panicked}, {@code internal-error}…).
 */
public record RunStatus(boolean running, String status) {
    public RunStatus {
        Objects.requireNonNull(status, "status");
    }

    /** The guest panicked and the hypervisor keeps it for inspection. */
    public boolean panicked() {
        return status.equals("guest-panicked");
    }
}
