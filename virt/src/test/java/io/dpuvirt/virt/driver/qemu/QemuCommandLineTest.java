package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.DomainConfig;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.assertMatches;
import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.domain;
import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.plan;
import static org.assertj.core.api.Assertions.assertThat;

/** QEMU command lines against golden files checked by hand against QEMU 7.2's documentation and `-device help`. */
class QemuCommandLineTest {
    private static final QemuCommandLine QEMU = new QemuCommandLine();

    @Test
    void seed002UefiHostPassthroughLvmBridgeVfioUnderKvm() throws Exception {
        DomainConfig config = domain("seed002-z-b-data-1.xml");
        assertMatches(QEMU.build(plan(config, "qemu", "/usr/bin/qemu-system-x86_64", Accelerator.KVM)),
                "qemu-seed002-kvm.args");
    }

    @Test
    void devicesOfEveryKindUnderTcg() throws Exception {
        DomainConfig config = domain("qemu-tcg-devices.xml");
        assertMatches(QEMU.build(plan(config, "qemu", "/usr/bin/qemu-system-x86_64", Accelerator.TCG)),
                "qemu-tcg-devices.args");
    }

    @Test
    void seed004AarchVirtMachineWithGic() throws Exception {
        DomainConfig config = domain("seed004-aarch64.xml");
        assertMatches(QEMU.build(plan(config, "qemu", "qemu-system-aarch64", Accelerator.KVM)), "qemu-seed004-aarch64.args");
    }

    @Test
    void hostPassthroughIsMaxUnderTcgAndHostUnderKvm() {
        DomainConfig config = domain("seed002-z-b-data-1.xml");
        assertThat(option(QEMU.build(plan(config, "qemu", "qemu-system-x86_64", Accelerator.TCG)), "-cpu")).isEqualTo("max");
        assertThat(option(QEMU.build(plan(config, "qemu", "qemu-system-x86_64", Accelerator.TCG)), "-accel")).isEqualTo("tcg");
        assertThat(option(QEMU.build(plan(config, "qemu", "qemu-system-x86_64", Accelerator.KVM)), "-cpu")).isEqualTo("host");
    }

    @Test
    void commasInPathsAreDoubledSoTheyCannotAddProperties() {
        List<String> argv = QEMU.build(plan(domain("qemu-tcg-devices.xml"), "qemu", "qemu-system-x86_64", Accelerator.TCG));
        assertThat(argv).contains("if=none,id=drive-disk0,file=/var/lib/dpuvirt/images/root,,1.qcow2,format=qcow2,"
                + "cache=none,aio=native,throttling.bps-read=1048576,throttling.iops-total=1000");
        assertThat(option(argv, "-append")).isEqualTo("console=ttyS0 panic=-1, dpuvirt.poweroff"); // one argument: no escaping
    }

    static String option(List<String> argv, String option) {
        return argv.get(argv.indexOf(option) + 1);
    }
}
