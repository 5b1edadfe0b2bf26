package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.qmp.MonitorConnector;

import java.nio.file.Path;

/** What every guest of one driver shares: the host, the driver's profile, the root its files go under, the monitors' connector. */
record GuestContext(Host host, VmmProfile profile, Path root, MonitorConnector monitors) {
    VirErrorDomain origin() {
        return VirErrorDomain.QEMU;
    }
}
