package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The guests of seeds 004 (StratoVirt, x86_64 and aarch64) and 002 (KVM private cloud). */
class SeedDomainsTest {
    private static final long GIB_IN_KIB = 1024 * 1024;

    @Test
    void seed004X86IsReadIntoRecords() {
        DomainConfig c = TestDomains.parseResource("seed004-x86.xml").config();
        assertThat(c.type()).isEqualTo(DomainConfig.Type.KVM);
        assertThat(c.name()).isEqualTo("StratoVirt");
        assertThat(c.memoryKiB()).isEqualTo(8 * GIB_IN_KIB);
        assertThat(c.memoryBacking()).hasValueSatisfying(b -> {
            assertThat(b.hugepages()).isTrue();
            assertThat(b.pages()).containsExactly(new MemoryBacking.HugePage(GIB_IN_KIB, Optional.empty()));
        });
        assertThat(c.vcpu().count()).isEqualTo(4);
        assertThat(c.iothreads()).hasValue(1);
        assertThat(c.os().arch()).hasValue("x86_64");
        assertThat(c.os().machine()).hasValue("q35");
        assertThat(c.os().kernel()).hasValue("/path/to/standard_vm_kernel");
        assertThat(c.os().cmdline()).hasValue("console=hvc0 root=/dev/vda reboot=k panic=1 rw");
        assertThat(c.os().loader()).hasValue(new OsConfig.Loader("/path/to/pflash", Optional.of(true), Optional.of("pflash")));
        assertThat(c.os().nvram()).hasValue(new OsConfig.Nvram("/path/to/OVMF_VARS", Optional.empty()));
        assertThat(c.features()).hasValueSatisfying(f -> assertThat(f.acpi()).isTrue());

        Devices d = c.devices();
        assertThat(d.emulator()).hasValue("/path/to/StratoVirt_binary_file");
        assertThat(d.controllers()).hasSize(9);
        assertThat(d.controllers().getFirst()).satisfies(root -> {
            assertThat(root.type()).isEqualTo(ControllerConfig.Type.PCI);
            assertThat(root.model()).hasValue("pcie-root");
            assertThat(root.needsPciAddress()).isFalse();
        });
        assertThat(d.controllers().get(8)).satisfies(serial -> {
            assertThat(serial.type()).isEqualTo(ControllerConfig.Type.VIRTIO_SERIAL);
            assertThat(serial.alias()).hasValue("virt-serial0");
            assertThat(serial.address()).hasValue(PciAddress.of(0, 3, 0, 0));
        });
        DiskConfig disk = d.disks().getFirst();
        assertThat(disk.type()).isEqualTo(DiskConfig.Type.FILE);
        assertThat(disk.driver()).hasValue(new DiskDriver(Optional.of("qemu"), Optional.of("raw"), Optional.empty(),
                Optional.empty(), Optional.of(1)));
        assertThat(disk.source()).hasValue("/path/to/rootfs");
        assertThat(disk.targetDev()).isEqualTo("hda");
        assertThat(disk.effectiveBus()).isEqualTo("virtio");
        assertThat(disk.iotune()).hasValue(IoTune.of(IoTune.Limit.TOTAL_IOPS_SEC, 1000));
        assertThat(disk.address()).hasValue(PciAddress.of(0, 1, 0, 0));
        InterfaceConfig nic = d.interfaces().getFirst();
        assertThat(nic.source()).isEqualTo(new InterfaceConfig.Bridge("qbr0"));
        assertThat(nic.mac()).hasValue(MacAddress.parse("de:ad:be:ef:00:01"));
        assertThat(nic.model()).hasValue("virtio");
        assertThat(d.consoles()).singleElement().satisfies(console -> {
            assertThat(console.source()).isEqualTo(new CharDeviceConfig.Pty());
            assertThat(console.targetType()).hasValue("virtio");
            assertThat(console.targetPort()).hasValue(0);
            assertThat(console.alias()).hasValue("console0");
        });
        assertThat(d.memballoon()).hasValueSatisfying(b -> {
            assertThat(b.model()).isEqualTo("virtio");
            assertThat(b.alias()).hasValue("balloon0");
        });
        assertThat(d.rngs()).singleElement().satisfies(rng -> {
            assertThat(rng.rate()).hasValue(new RngConfig.Rate(1234, Optional.of(1000L)));
            assertThat(rng.backendPath()).hasValue("/path/to/random_file");
        });
        assertThat(d.vsock()).hasValueSatisfying(v -> {
            assertThat(v.cidAuto()).hasValue(false);
            assertThat(v.cid()).hasValue(3L);
        });
    }

    @Test
    void seed004Aarch64HasGicVersion3AndDevicesOnBus0() {
        DomainConfig c = TestDomains.parseResource("seed004-aarch64.xml").config();
        assertThat(c.os().machine()).hasValue("virt");
        assertThat(c.features()).hasValueSatisfying(f -> {
            assertThat(f.gic()).isTrue();
            assertThat(f.gicVersion()).hasValue("3");
        });
        assertThat(c.devices().pciAddresses()).extracting(PciAddress::slot).containsExactly(1, 3, 2, 4, 5, 6);
    }

    @Test
    void seed004GuestsPassStratovirtLimits() {
        DomainValidator validator = new DomainValidator(new StratovirtLimits());
        for (String name : List.of("seed004-x86.xml", "seed004-aarch64.xml")) {
            ParsedDomain parsed = TestDomains.parseResource(name);
            assertThat(validator.validate(parsed.config(), parsed.positions())).as(name).isEmpty();
        }
    }

    @Test
    void seed002GuestIsReadIntoRecords() {
        DomainConfig c = TestDomains.parseResource("seed002-z-b-data-1.xml").config();
        assertThat(c.name()).isEqualTo("z-b-data-1");
        assertThat(c.uuid()).hasValue(UUID.fromString("5e2d1c7a-8f43-4b0e-9a61-3c7f2d9e1b84"));
        assertThat(c.memoryKiB()).isEqualTo(16777216);
        assertThat(c.currentMemoryKiB()).hasValue(16777216L);
        assertThat(c.vcpu()).isEqualTo(new VcpuConfig(4, Optional.of(VcpuConfig.Placement.STATIC), Optional.empty()));
        assertThat(c.cputune()).hasValueSatisfying(t -> assertThat(t.vcpuPins()).containsExactly(
                new CpuTune.VcpuPin(0, new CpuSet("24")), new CpuTune.VcpuPin(1, new CpuSet("25")),
                new CpuTune.VcpuPin(2, new CpuSet("26")), new CpuTune.VcpuPin(3, new CpuSet("27"))));
        assertThat(c.cpu()).hasValueSatisfying(cpu -> assertThat(cpu.mode()).hasValue(CpuConfig.Mode.HOST_PASSTHROUGH));
        assertThat(c.os().loader()).hasValueSatisfying(l -> assertThat(l.path()).isEqualTo("/usr/share/OVMF/OVMF_CODE.fd"));
        assertThat(c.os().nvram()).hasValueSatisfying(n -> assertThat(n.path()).endsWith("z-b-data-1_VARS.fd"));
        assertThat(c.os().bootDevices()).containsExactly(OsConfig.BootDevice.HD);
        assertThat(c.lifecycle()).isEqualTo(new Lifecycle(Optional.of(Lifecycle.Action.DESTROY),
                Optional.of(Lifecycle.Action.RESTART), Optional.of(Lifecycle.Action.DESTROY)));
        DiskConfig disk = c.devices().disks().getFirst();
        assertThat(disk.type()).isEqualTo(DiskConfig.Type.BLOCK);
        assertThat(disk.source()).hasValue("/dev/vg-libvirt/z-b-data-1");
        assertThat(disk.driver()).hasValue(new DiskDriver(Optional.of("qemu"), Optional.of("raw"), Optional.of("none"),
                Optional.of("native"), Optional.empty()));
        assertThat(c.devices().interfaces().getFirst().source()).isEqualTo(new InterfaceConfig.Bridge("br0"));
        assertThat(c.devices().hostdevs()).singleElement().satisfies(h -> {
            assertThat(h.source()).isEqualTo(PciAddress.of(0, 5, 0, 0));
            assertThat(h.managed()).hasValue(true);
        });
        assertThat(c.devices().serials()).singleElement()
                .satisfies(s -> assertThat(s.targetType()).hasValue("isa-serial"));
        assertThat(c.devices().graphics()).isEmpty();
        assertThat(new DomainValidator().validate(c, SourcePositions.none("z"))).isEmpty();
    }

    @Test
    void seedsSurviveAWriteAndAReadUnchanged() {
        for (String name : List.of("seed004-x86.xml", "seed004-aarch64.xml", "seed002-z-b-data-1.xml")) {
            DomainConfig first = TestDomains.parseResource(name).config();
            String written = new DomainXmlWriter().write(first);
            assertThat(TestDomains.parse(written).config()).as(name).isEqualTo(first);
            assertThat(new DomainXmlWriter().write(TestDomains.parse(written).config())).as(name).isEqualTo(written);
        }
    }
}
