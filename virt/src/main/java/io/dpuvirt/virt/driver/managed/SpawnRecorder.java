package io.dpuvirt.virt.driver.managed;

import java.io.IOException;

/**
 * Told of a guest whose process runs before its start is complete (monitor, vCPU pinning, cont): the driver records
 * it, so that a daemon stopped meanwhile (kill -9, a restart) finds that process and ends it instead of leaving a
 * paused qemu that holds its memory and disks while the domain shows shut off.
 */
@FunctionalInterface
public interface SpawnRecorder {
    void spawned(Guest guest) throws IOException;
}
