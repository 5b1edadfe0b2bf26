package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import io.dpuvirt.virt.driver.managed.DomainStore;
import io.dpuvirt.virt.driver.managed.DriverDirectories;
import io.dpuvirt.virt.driver.managed.ManagedDriver;

import java.net.URI;

/**
 * The factory of a QMP-driven driver: the managed driver over a {@link VmmHypervisor} of one {@link VmmProfile},
 * serving that profile's one URI. Each hypervisor is a subclass naming its profile.
 */
public abstract class VmmDriverFactory implements DriverFactory {
    private final VmmProfile profile;
    private final ManagedDriver driver;

    protected VmmDriverFactory(VmmProfile profile, DriverContext context) {
        this.profile = profile;
        this.driver = new ManagedDriver(new VmmHypervisor(profile, context),
                new DomainStore(DriverDirectories.under(context.root(), profile.name())));
    }

    @Override
    public String scheme() {
        return profile.name();
    }

    @Override
    public void start() throws DriverException {
        driver.start();
    }

    /** {@code SCHEME:///system} only: this daemon runs system guests, no per-user session. */
    @Override
    public Driver open(URI uri) throws DriverException {
        if (!"/system".equals(uri.getPath()) || uri.getHost() != null) {
            throw DriverException.of(VirErrorCode.NO_CONNECT, VirErrorDomain.DOMAIN,
                    uri + " (this daemon's " + profile.name() + " driver serves " + profile.uri() + " only)");
        }
        return driver;
    }

    @Override
    public void close() {
        driver.close();
    }
}
