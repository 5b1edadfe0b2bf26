package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.QemuLimits;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.managed.ManagedDriver;
import io.dpuvirt.virt.qmp.QmpDialect;

/**
 * {@code qemu:///system}: QEMU guests, KVM or TCG, with libvirt's semantics ({@link ManagedDriver}) and
 * the QMP machinery ({@link VmmHypervisor}). The emulator is {@code qemu-system-ARCH} from PATH unless the
 * domain names its {@code <emulator>}.
 */
public final class QemuDriverFactory extends VmmDriverFactory {
    public static final VmmProfile PROFILE = new VmmProfile("qemu", "qemu:///system", "QEMU", new QemuLimits(),
            new QemuCommandLine(), QmpDialect.QEMU, arch -> "qemu-system-" + arch, "--version", true);

    public QemuDriverFactory(DriverContext context) {
        super(PROFILE, context);
    }
}
