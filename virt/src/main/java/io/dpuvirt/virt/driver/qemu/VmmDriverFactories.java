package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.DomainStore;
import io.dpuvirt.virt.driver.managed.DriverDirectories;
import io.dpuvirt.virt.driver.managed.ManagedDriver;

import java.net.URI;

/** What the factories of QMP-driven drivers share: the managed driver over their hypervisor, and the one URI they serve. */
public final class VmmDriverFactories {
    private VmmDriverFactories() {
    }

    public static ManagedDriver driver(VmmProfile profile, DriverContext context) {
        DomainStore store = new DomainStore(DriverDirectories.under(context.root(), profile.name()));
        return new ManagedDriver(new VmmHypervisor(profile, context), store);
    }

    /** {@code SCHEME:///system} only: this daemon runs system guests, no per-user session. */
    public static Driver open(VmmProfile profile, ManagedDriver driver, URI uri) throws DriverException {
        if (!"/system".equals(uri.getPath()) || uri.getHost() != null) {
            throw DriverException.of(VirErrorCode.NO_CONNECT, VirErrorDomain.DOMAIN,
                    uri + " (this daemon's " + profile.name() + " driver serves " + profile.uri() + " only)");
        }
        return driver;
    }
}
