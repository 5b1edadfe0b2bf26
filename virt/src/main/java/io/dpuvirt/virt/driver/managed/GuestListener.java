package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.driver.DomainStatus;

/** Hears what a guest does on its own: a new status, {@code shutoff} when it has stopped. */
@FunctionalInterface
public interface GuestListener {
    void statusChanged(DomainStatus status);
}
