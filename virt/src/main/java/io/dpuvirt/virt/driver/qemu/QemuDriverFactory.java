package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.QemuLimits;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DriverFactory;
import io.dpuvirt.virt.driver.managed.ManagedDriver;
import io.dpuvirt.virt.qmp.QmpDialect;

import java.net.URI;

/**
 * {@code qemu:///system}: QEMU guests, KVM or TCG, with libvirt's semantics ({@link ManagedDriver}) and
 * the QMP machinery ({@link VmmHypervisor}). The emulator is {@code qemu-system-ARCH} from PATH unless the
 * domain names its {@code <emulator>}.
 */
public final class QemuDriverFactory implements DriverFactory {
    public static final VmmProfile PROFILE = new VmmProfile("qemu", "qemu:///system", "QEMU", new QemuLimits(),
            new QemuCommandLine(), QmpDialect.QEMU, arch -> "qemu-system-" + arch, "--version", true);

    private final ManagedDriver driver;

    public QemuDriverFactory(DriverContext context) {
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
