package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.random.RandomGenerator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DomainDefaultsTest {
    private static DomainConfig withDefaults(String xml, RandomGenerator random) {
        return new DomainDefaults(random).apply(TestDomains.parse(xml).config());
    }

    private static DomainConfig withDefaults(String xml) {
        return withDefaults(xml, new SplittableRandom(7));
    }

    @Test
    void fillsUuidCurrentMemoryPlacementAndLifecycle() {
        DomainConfig c = withDefaults(TestDomains.withDevices(""));
        assertThat(c.uuid()).hasValueSatisfying(u -> {
            assertThat(u.version()).isEqualTo(4);
            assertThat(u.variant()).isEqualTo(2);
        });
        assertThat(c.currentMemoryKiB()).hasValue(c.memoryKiB());
        assertThat(c.vcpu().placement()).hasValue(VcpuConfig.Placement.STATIC);
        assertThat(c.lifecycle()).isEqualTo(new Lifecycle(Optional.of(Lifecycle.Action.DESTROY),
                Optional.of(Lifecycle.Action.RESTART), Optional.of(Lifecycle.Action.DESTROY)));
    }

    @Test
    void keepsWhatIsGiven() {
        DomainConfig given = TestDomains.parseResource("seed002-z-b-data-1.xml").config();
        DomainConfig c = new DomainDefaults(new SplittableRandom(1)).apply(given);
        assertThat(c.uuid()).isEqualTo(given.uuid());
        assertThat(c.lifecycle()).isEqualTo(given.lifecycle());
        assertThat(c.devices().interfaces()).isEqualTo(given.devices().interfaces());
        assertThat(c.devices().pciAddresses().toList()).isEqualTo(given.devices().pciAddresses().toList());
    }

    @Test
    void isAPureFunctionOfConfigurationAndRandomSource() {
        String xml = TestDomains.withDevices("<interface type='bridge'><source bridge='br0'/></interface>");
        assertThat(withDefaults(xml, new SplittableRandom(3))).isEqualTo(withDefaults(xml, new SplittableRandom(3)));
    }

    @Test
    void macAddressesAreQemuOnesNeverCollidingWithGivenOnes() {
        // a generator whose first draw is the address already given to the second interface
        int[] sequence = {0x12, 0x34, 0x56, 0x12, 0x34, 0x57, 0x12, 0x34, 0x58};
        RandomGenerator replay = new RandomGenerator() {
            private int next;

            @Override
            public long nextLong() {
                return 42;
            }

            @Override
            public int nextInt(int bound) {
                return sequence[next++];
            }
        };
        DomainConfig c = withDefaults(TestDomains.withDevices("""
                <interface type='bridge'><source bridge='br0'/></interface>
                <interface type='bridge'><mac address='52:54:00:12:34:56'/><source bridge='br0'/></interface>
                <interface type='bridge'><source bridge='br0'/></interface>"""), replay);
        assertThat(c.devices().interfaces()).extracting(nic -> nic.mac().orElseThrow().value())
                .containsExactly("52:54:00:12:34:57", "52:54:00:12:34:56", "52:54:00:12:34:58");
    }

    @Test
    void pciAddressesGoToFreeSlotsOnBus0() {
        DomainConfig c = withDefaults(TestDomains.withDevices("""
                <controller type='pci' index='0' model='pcie-root'/>
                <disk type='file'><target dev='vda' bus='virtio'/></disk>
                <disk type='file'><target dev='hdc' bus='ide'/></disk>
                <interface type='bridge'>
                  <source bridge='br0'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>
                </interface>
                <interface type='bridge'>
                  <source bridge='br0'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x03' function='0x2'/>
                </interface>
                <interface type='bridge'><source bridge='br0'/></interface>
                <memballoon model='virtio'/>
                <rng model='virtio'><backend model='random'/></rng>"""));
        Devices d = c.devices();
        assertThat(d.controllers().getFirst().address()).isEmpty();
        assertThat(d.disks().get(0).address()).hasValue(PciAddress.of(0, 0, 2, 0));
        assertThat(d.disks().get(1).address()).as("ide is not on PCI").isEmpty();
        assertThat(d.interfaces().get(2).address()).as("slot 3 is taken by function 2").hasValue(PciAddress.of(0, 0, 4, 0));
        assertThat(d.memballoon().orElseThrow().address()).hasValue(PciAddress.of(0, 0, 5, 0));
        assertThat(d.rngs().getFirst().address()).hasValue(PciAddress.of(0, 0, 6, 0));
        assertThat(new DomainValidator().validate(c, SourcePositions.none("guest"))).isEmpty();
    }

    @Test
    void machineTypeReservesChipsetSlots() {
        String q35 = TestDomains.withDevices("<memballoon model='virtio'/>");
        assertThat(withDefaults(q35).devices().memballoon().orElseThrow().address()).hasValue(PciAddress.of(0, 0, 1, 0));
        String i440fx = q35.replace("machine='q35'", "machine='pc-i440fx-7.2'");
        assertThat(withDefaults(i440fx).devices().memballoon().orElseThrow().address()).hasValue(PciAddress.of(0, 0, 2, 0));
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 31; i++) {
            many.append("<interface type='bridge'><source bridge='br0'/></interface>\n");
        }
        DomainConfig full = withDefaults(TestDomains.withDevices(many.toString()).replace("machine='q35'", "machine='virt'"));
        assertThat(full.devices().pciAddresses()).extracting(PciAddress::slot).doesNotHaveDuplicates().hasSize(31);
        assertThatThrownBy(() -> withDefaults(TestDomains.withDevices(many.toString())))
                .isInstanceOf(DomainXmlException.class)
                .hasMessage("guest: element 'interface': no free PCI slot left on bus 0 for this device");
    }

    @Test
    void consolesWithoutTargetBecomeSerialPortZero() {
        DomainConfig c = withDefaults(TestDomains.withDevices("<console type='pty'/>"));
        assertThat(c.devices().consoles()).singleElement().satisfies(console -> {
            assertThat(console.targetType()).hasValue("serial");
            assertThat(console.targetPort()).hasValue(0);
        });
    }

    @Test
    void filledConfigurationRoundTrips() {
        for (String name : List.of("seed004-x86.xml", "seed002-z-b-data-1.xml")) {
            DomainConfig c = new DomainDefaults().apply(TestDomains.parseResource(name).config());
            assertThat(TestDomains.parse(new DomainXmlWriter().write(c)).config()).isEqualTo(c);
            assertThat(c.uuid().map(UUID::version)).isPresent();
        }
    }
}
