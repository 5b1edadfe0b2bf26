package io.dpuvirt.virt.driver.stratovirt;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.qemu.Accelerator;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.assertMatches;
import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.domain;
import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.plan;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * StratoVirt command lines for seed 004's two examples, against golden files checked by hand, option by
 * option, against StratoVirt's docs/config_guidebook.md (sections 1.1 machine, 1.2.1 smp, 1.3.1 memory,
 * 1.4.1 hugepages, 1.6 kernel, 1.10 pidfile, 2.1 iothread, 2.2 virtio-blk-pci, 2.3 virtio-net-pci and taps,
 * 2.4 virtio-serial-pci and virtconsole, 2.5 vhost-vsock-pci, 2.7 virtio-balloon-pci, 2.8 virtio-rng-pci, 2.9
 * pcie-root-port, 2.10 pflash, 2.12 chardev) and docs/qmp.md (-qmp unix:PATH,server,nowait).
 */
class StratovirtCommandLineTest {
    private static final StratovirtCommandLine STRATOVIRT = new StratovirtCommandLine();

    @Test
    void seed004X86StandardVm() throws Exception {
        DomainConfig config = domain("seed004-x86.xml");
        assertMatches(STRATOVIRT.build(plan(config, "stratovirt", "/path/to/StratoVirt_binary_file", Accelerator.KVM)),
                "stratovirt-seed004-x86.args");
    }

    @Test
    void seed004AarchStandardVm() throws Exception {
        DomainConfig config = domain("seed004-aarch64.xml");
        assertMatches(STRATOVIRT.build(plan(config, "stratovirt", "/path/to/StratoVirt_binary_file", Accelerator.KVM)),
                "stratovirt-seed004-aarch64.args");
    }

    @Test
    void vcpusStartFrozenAndTheMonitorIsTheDriversSocket() {
        List<String> argv = STRATOVIRT.build(plan(domain("seed004-x86.xml"), "stratovirt", "stratovirt", Accelerator.KVM));
        assertThat(argv).contains("-freeze").doesNotContain("-S", "-accel");
        assertThat(argv.get(argv.indexOf("-qmp") + 1))
                .isEqualTo("unix:/srv/dpuvirt/var/lib/dpuvirt/stratovirt/domain-7-StratoVirt/monitor.sock,server,nowait");
    }
}
