package io.dpuvirt.virt.driver.stratovirt;

import io.dpuvirt.virt.conf.StratovirtLimits;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.managed.ManagedDriver;
import io.dpuvirt.virt.driver.qemu.VmmDriverFactories;
import io.dpuvirt.virt.driver.qemu.VmmProfile;
import io.dpuvirt.virt.qmp.QmpDialect;

import java.net.URI;

/**
 * {@code stratovirt:///system}, as openEuler's libvirt offers it (seed 004): StratoVirt standard VMs under KVM
 * (StratoVirt has no emulator), the program {@code stratovirt} from PATH unless the domain names its
 * {@code <emulator>}.
 */
public final class StratovirtDriverFactory implements DriverFactory {
    public static final VmmProfile PROFILE = new VmmProfile("stratovirt", "stratovirt:///system", "STRATOVIRT",
            new StratovirtLimits(), new StratovirtCommandLine(), QmpDialect.STRATOVIRT, arch -> "stratovirt",
            "-version", false);

    private final ManagedDriver driver;

    public StratovirtDriverFactory(DriverContext context) {
        this.driver = VmmDriverFactories.driver(PROFILE, context);
    }

    @Override
    public String scheme() {
        return PROFILE.name();
    }

    @Override
    public void start() throws DriverException {
        driver.start();
    }

    @Override
    public Driver open(URI uri) throws DriverException {
        return VmmDriverFactories.open(PROFILE, driver, uri);
    }

    @Override
    public void close() {
        driver.close();
    }
}
