package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each general rule, with its exact message. */
class DomainValidatorTest {
    static List<String> problems(String xml, DriverLimits limits) {
        ParsedDomain parsed = TestDomains.parse(xml);
        return new DomainValidator(limits).validate(parsed.config(), parsed.positions()).stream()
                .map(ConfigProblem::toString).toList();
    }

    private static List<String> problems(String xml) {
        return problems(xml, DriverLimits.NONE);
    }

    private static String head(String from, String to) {
        return TestDomains.withDevices("").replace(from, to);
    }

    @Test
    void validDomainHasNoProblem() {
        assertThat(problems(TestDomains.withDevices(""))).isEmpty();
    }

    @Test
    void nameMustNotBeEmpty() {
        assertThat(problems(head("<name>guest</name>", "<name></name>")))
                .containsExactly("domain.xml:2: element 'name': the name is empty");
    }

    @Test
    void nameHasAtMost255Characters() {
        assertThat(problems(head("guest", "g".repeat(255)))).isEmpty();
        assertThat(problems(head("guest", "g".repeat(256))))
                .containsExactly("domain.xml:2: element 'name': the name has 256 characters (at most 255)");
    }

    @Test
    void nameUsesLettersDigitsUnderscoreDashColon() {
        assertThat(problems(head("guest", "Guest_01-a:b"))).isEmpty();
        assertThat(problems(head("guest", "my guest/1")))
                .containsExactly("domain.xml:2: element 'name': invalid name 'my guest/1' "
                        + "(only letters, digits, '_', '-' and ':' are allowed)");
    }

    @Test
    void memoryMustBePositive() {
        assertThat(problems(head("<memory unit='MiB'>512</memory>", "<memory>0</memory>")))
                .containsExactly("domain.xml:3: element 'memory': memory must be greater than 0");
    }

    @Test
    void currentMemoryMustNotExceedMemory() {
        assertThat(problems(head("<vcpu>", "<currentMemory unit='GiB'>1</currentMemory>\n  <vcpu>")))
                .containsExactly("domain.xml:4: element 'currentMemory': currentMemory 1048576 KiB is more than "
                        + "memory 524288 KiB");
    }

    @Test
    void vcpuCountMustBePositive() {
        assertThat(problems(head("<vcpu>2</vcpu>", "<vcpu>0</vcpu>")))
                .containsExactly("domain.xml:4: element 'vcpu': the vCPU count must be at least 1");
    }

    @Test
    void vcpuPinsExistingVcpusWithNonEmptyCpusets() {
        String xml = head("<iothreads>1</iothreads>", """
                <cputune>
                    <vcpupin vcpu='0' cpuset='0-3,^2,8'/>
                    <vcpupin vcpu='2' cpuset='4'/>
                    <vcpupin vcpu='0' cpuset='5'/>
                    <vcpupin vcpu='1' cpuset='1,^1'/>
                    <emulatorpin cpuset='0,^0'/>
                  </cputune>""");
        assertThat(problems(xml)).containsExactly(
                "domain.xml:7: element 'vcpupin' attribute 'vcpu': vCPU 2 does not exist (the domain has 2 vCPUs, numbered from 0)",
                "domain.xml:8: element 'vcpupin' attribute 'vcpu': vCPU 0 is already pinned by /domain/cputune/vcpupin[1] (line 6)",
                "domain.xml:9: element 'vcpupin' attribute 'cpuset': cpuset '1,^1' selects no CPU",
                "domain.xml:10: element 'emulatorpin' attribute 'cpuset': cpuset '0,^0' selects no CPU");
    }

    @Test
    void pciSlotAndFunctionRanges() {
        assertThat(problems(TestDomains.withDevices("""
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x20' function='0x8'/>
                </memballoon>""")))
                .containsExactly(
                        "domain.xml:14: element 'address' attribute 'slot': slot 0x20 is out of range (0x00 to 0x1f)",
                        "domain.xml:14: element 'address' attribute 'function': function 8 is out of range (0 to 7)");
    }

    @Test
    void hostSourceAddressRangesAreCheckedToo() {
        assertThat(problems(TestDomains.withDevices("""
                <hostdev mode='subsystem' type='pci' managed='yes'>
                  <source>
                    <address domain='0x0' bus='0x100' slot='0x0' function='0x0'/>
                  </source>
                </hostdev>""")))
                .containsExactly("domain.xml:15: element 'address' attribute 'bus': bus 0x100 is out of range (0x00 to 0xff)");
    }

    @Test
    void pciAddressesAreUnique() {
        assertThat(problems(TestDomains.withDevices("""
                <disk type='file'>
                  <target dev='vda' bus='virtio'/>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
                </disk>
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0x05' function='0x0'/>
                </memballoon>""")))
                .containsExactly("domain.xml:18: element 'address': PCI address 0000:00:05.0 is already used by "
                        + "/domain/devices/disk (line 13)");
    }

    @Test
    void diskTargetsAreUnique() {
        assertThat(problems(TestDomains.withDevices("""
                <disk type='file'><target dev='vda'/></disk>
                <disk type='block'><target dev='vdb'/></disk>
                <disk type='block'>
                  <target dev='vda'/>
                </disk>""")))
                .containsExactly("domain.xml:16: element 'target' attribute 'dev': target dev 'vda' is already used by "
                        + "/domain/devices/disk[1] (line 13)");
    }

    @Test
    void macAddressesAreUniqueAndUnicast() {
        assertThat(problems(TestDomains.withDevices("""
                <interface type='bridge'>
                  <mac address='52:54:00:00:00:01'/>
                  <source bridge='br0'/>
                </interface>
                <interface type='network'>
                  <mac address='52:54:00:00:00:01'/>
                  <source network='default'/>
                </interface>
                <interface type='ethernet'>
                  <mac address='01:00:5e:00:00:01'/>
                </interface>""")))
                .containsExactly(
                        "domain.xml:18: element 'mac' attribute 'address': MAC address 52:54:00:00:00:01 is already used by "
                                + "/domain/devices/interface[1] (line 13)",
                        "domain.xml:22: element 'mac' attribute 'address': MAC address 01:00:5e:00:00:01 is a multicast address");
    }

    @Test
    void diskIothreadMustExist() {
        assertThat(problems(TestDomains.withDevices("""
                <disk type='file'>
                  <driver name='qemu' type='raw' iothread='2'/>
                  <target dev='vda'/>
                </disk>""")))
                .containsExactly("domain.xml:14: element 'driver' attribute 'iothread': iothread 2 does not exist "
                        + "(the domain has 1 iothreads, numbered from 1)");
    }

    @Test
    void vsockCidIsAGuestCid() {
        assertThat(problems(TestDomains.withDevices("""
                <vsock model='virtio'>
                  <cid auto='no' address='2'/>
                </vsock>""")))
                .containsExactly("domain.xml:14: element 'cid' attribute 'address': cid 2 is reserved (guest cids start at 3)");
        assertThat(problems(TestDomains.withDevices("<vsock model='virtio'>\n  <cid auto='no'/>\n</vsock>")))
                .containsExactly("domain.xml:14: element 'cid' attribute 'address': a cid address is required when auto is 'no'");
    }

    @Test
    void bootOrdersAreUnique() {
        assertThat(problems(TestDomains.withDevices("""
                <disk type='file'>
                  <target dev='vda'/>
                  <boot order='1'/>
                </disk>
                <interface type='bridge'>
                  <source bridge='br0'/>
                  <boot order='1'/>
                </interface>""")))
                .containsExactly("domain.xml:19: element 'boot' attribute 'order': boot order 1 is already used by "
                        + "/domain/devices/disk (line 13)");
    }

    @Test
    void everyProblemIsReportedAndCheckThrowsThemAll() {
        ParsedDomain parsed = TestDomains.parse(head("<name>guest</name>", "<name>a b</name>")
                .replace("<vcpu>2</vcpu>", "<vcpu>0</vcpu>"));
        assertThatThrownBy(() -> new DomainValidator().check(parsed.config(), parsed.positions()))
                .isInstanceOf(DomainXmlException.class)
                .hasMessage("""
                        domain.xml:2: element 'name': invalid name 'a b' (only letters, digits, '_', '-' and ':' are allowed)
                        domain.xml:4: element 'vcpu': the vCPU count must be at least 1""")
                .satisfies(e -> assertThat(((DomainXmlException) e).problems()).hasSize(2));
    }

    @Test
    void configurationWithoutADocumentIsReportedWithoutLines() {
        DomainConfig config = TestDomains.parse(head("guest", "a b")).config();
        assertThat(new DomainValidator().validate(config, SourcePositions.none("guest-config")))
                .extracting(ConfigProblem::toString)
                .containsExactly("guest-config: element 'name': invalid name 'a b' "
                        + "(only letters, digits, '_', '-' and ':' are allowed)");
    }
}
