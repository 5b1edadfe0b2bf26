package io.dpuvirt.virt.driver.stratovirt;

import io.dpuvirt.virt.conf.StratovirtLimits;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.qemu.VmmDriverFactory;
import io.dpuvirt.virt.driver.qemu.VmmProfile;
import io.dpuvirt.virt.qmp.QmpDialect;

/**
 * {@code stratovirt:///system}, as openEuler's libvirt offers it (seed 004): StratoVirt standard VMs under KVM
 * (StratoVirt has no emulator), the program {@code stratovirt} from PATH unless the domain names its
 * {@code <emulator>}.
 */
public final class StratovirtDriverFactory extends VmmDriverFactory {
    public static final VmmProfile PROFILE = new VmmProfile("stratovirt", "stratovirt:///system", "STRATOVIRT",
            new StratovirtLimits(), new StratovirtCommandLine(), QmpDialect.STRATOVIRT, arch -> "stratovirt",
            "-version", false);

    public StratovirtDriverFactory(DriverContext context) {
        super(PROFILE, context);
    }
}
