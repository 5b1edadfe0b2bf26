package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import static io.dpuvirt.virt.conf.DomainValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** What the qemu driver refuses, each with its exact message. */
class QemuLimitsTest {
    private static final QemuLimits QEMU = new QemuLimits();

    private static java.util.List<String> qemu(String xml) {
        return problems(xml, QEMU);
    }

    @Test
    void kvmAndQemuDomainsOfSupportedArchitectures() {
        assertThat(qemu(TestDomains.withDevices(""))).isEmpty();
        assertThat(qemu(TestDomains.withDevices("").replace("type='kvm'", "type='qemu'"))).isEmpty();
        assertThat(qemu(TestDomains.withDevices("").replace("type='kvm'", "type='test'")))
                .containsExactly("domain.xml:1: element 'domain' attribute 'type': the qemu driver runs domains of type "
                        + "'kvm' or 'qemu', not 'test'");
        assertThat(qemu(TestDomains.withDevices("").replace("arch='x86_64'", "arch='ppc64'")))
                .containsExactly("domain.xml:7: element 'type' attribute 'arch': the qemu driver runs x86_64 and aarch64 "
                        + "guests, not 'ppc64'");
    }

    @Test
    void disksOnVirtioSataOrIdeAndNativeIoOnlyWithODirect() {
        assertThat(qemu(TestDomains.withDevices("""
                <disk type='file' device='disk'>
                  <driver name='qemu' type='raw' io='native'/>
                  <source file='/a.img'/>
                  <target dev='sda' bus='scsi'/>
                </disk>""")))
                .containsExactly(
                        "domain.xml:16: element 'target' attribute 'bus': disk bus 'scsi' is not supported (virtio, sata or ide)",
                        "domain.xml:14: element 'driver' attribute 'io': io 'native' needs cache 'none' or 'directsync', "
                                + "not 'default' (QEMU opens the image with O_DIRECT for it)");
    }

    @Test
    void noLibvirtNetworksGraphicsOrVideo() {
        assertThat(qemu(TestDomains.withDevices("""
                <interface type='network'>
                  <source network='default'/>
                </interface>
                <graphics type='vnc' port='-1'/>
                <video><model type='virtio'/></video>
                <video><model type='none'/></video>""")))
                .containsExactly(
                        "domain.xml:13: element 'interface' attribute 'type': network 'default': this daemon has no libvirt "
                                + "networks; use an interface of type 'bridge', 'ethernet' or 'vhostuser'",
                        "domain.xml:16: element 'graphics' attribute 'type': graphics of type 'vnc' are not supported: "
                                + "guests run headless, with serial consoles",
                        "domain.xml:17: element 'model' attribute 'type': video model 'virtio' is not supported: guests run "
                                + "headless, with serial consoles");
    }

    @Test
    void controllersItHasDevicesFor() {
        assertThat(qemu(TestDomains.withDevices("""
                <controller type='usb' model='ehci'/>
                <controller type='ccid'/>
                <controller type='usb' model='none'/>""")))
                .containsExactly(
                        "domain.xml:13: element 'controller' attribute 'model': USB controller model 'ehci' is not supported "
                                + "(ich9-ehci1, nec-xhci, piix3-uhci, qemu-xhci or none)",
                        "domain.xml:14: element 'controller' attribute 'type': controllers of type 'ccid' are not supported");
    }
}
