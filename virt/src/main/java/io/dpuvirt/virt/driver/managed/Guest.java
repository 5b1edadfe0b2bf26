package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;
import io.dpuvirt.virt.driver.DriverException;

import java.util.Map;
import java.util.Optional;

/**
 * A running guest as its hypervisor controls it. The managed driver calls these methods one at a time,
 * only in states where libvirt allows them (pause on a running guest, resume on a paused one), and keeps
 * the domain's state itself. A guest must never wait for its {@link GuestListener}: a listener call may
 * wait for the operation in progress on the domain to end.
 */
public interface Guest {
    void pause() throws DriverException;

    void resume() throws DriverException;

    /** Presses the ACPI power button; the guest reports {@code shutoff (shutdown)} when it is done. */
    void powerdown() throws DriverException;

    /** Reboots the guest. */
    void reset() throws DriverException;

    /**
     * Stops the guest and returns once it is gone. {@code graceful}: ask it to quit (SIGTERM) and fail if
     * it does not, never force it.
     */
    void kill(boolean graceful) throws DriverException;

    /** CPU time the guest used, in nanoseconds. */
    long cpuTimeNs();

    /** Connects {@code output} to the console {@code device} (an alias; empty: the first console). */
    ConsoleSession attachConsole(Optional<String> device, ConsoleOutput output) throws DriverException;

    /** What its hypervisor needs to find it again after a daemon restart (a pid, a monitor socket). */
    Map<String, String> facts();
}
