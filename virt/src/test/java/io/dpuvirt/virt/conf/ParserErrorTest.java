package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Documents outside the model: refused with file, line, element, attribute and what was expected. */
class ParserErrorTest {
    private static DomainXmlException refusal(String xml) {
        try {
            TestDomains.parse(xml);
        } catch (DomainXmlException e) {
            return e;
        }
        throw new AssertionError("the document was accepted");
    }

    @Test
    void unsupportedDiskTypeNamesLineElementAndAttribute() {
        DomainXmlException e = refusal(TestDomains.withDevices("""
                <!-- the disk below is on line 14 -->
                <disk type='nfs' device='disk'>
                  <target dev='vda'/>
                </disk>"""));
        assertThat(e).hasMessage("domain.xml:14: element 'disk' attribute 'type': unsupported value 'nfs' (expected file or block)");
        assertThat(e.line()).isEqualTo(14);
        assertThat(e.column()).isPositive();
        assertThat(e.elementPath()).hasToString("/domain/devices/disk");
        assertThat(e.attribute()).hasValue("type");
    }

    @Test
    void pathIndexesRepeatedElements() {
        DomainXmlException e = refusal(TestDomains.withDevices("""
                <disk type='file'><target dev='vda'/></disk>
                <disk type='file'>
                  <target bus='virtio'/>
                </disk>"""));
        assertThat(e).hasMessage("domain.xml:15: element 'target' attribute 'dev': required attribute is missing");
        assertThat(e.elementPath()).hasToString("/domain/devices/disk[2]/target");
    }

    @Test
    void missingRequiredElement() {
        assertThat(refusal(TestDomains.withDevices("<disk type='file' device='disk'/>")))
                .hasMessage("domain.xml:13: element 'disk': required element 'target' is missing");
        assertThat(refusal("<domain type='kvm'>\n<memory>1</memory>\n</domain>"))
                .hasMessage("domain.xml:1: element 'domain': required element 'name' is missing");
    }

    @Test
    void unsupportedDomainType() {
        assertThat(refusal("<domain type='xen'/>"))
                .hasMessage("domain.xml:1: element 'domain' attribute 'type': unsupported value 'xen' (expected kvm, qemu or test)");
    }

    @Test
    void elementThatMayAppearOnce() {
        assertThat(refusal(TestDomains.withDevices("""
                <disk type='file'>
                  <target dev='vda'/>
                  <target dev='vdb'/>
                </disk>""")))
                .hasMessage("domain.xml:15: element 'target': may appear only once in 'disk'");
    }

    @Test
    void textWhereNoneBelongs() {
        assertThat(refusal(TestDomains.withDevices("<disk type='file'>hello<target dev='vda'/></disk>")))
                .hasMessage("domain.xml:13: element 'disk': unexpected text 'hello'");
    }

    @Test
    void invalidUuid() {
        assertThat(refusal(TestDomains.withDevices("").replace("<name>guest</name>", "<name>guest</name><uuid>abc</uuid>")))
                .hasMessage("domain.xml:2: element 'uuid': invalid UUID 'abc' (expected 32 hexadecimal digits, "
                        + "as in 4dea22b3-1d52-d8f3-2516-782e98ab3fa0)");
    }

    @Test
    void uuidWithoutDashesIsAccepted() {
        String xml = TestDomains.withDevices("").replace("<name>guest</name>",
                "<name>guest</name><uuid>4dea22b31d52d8f32516782e98ab3fa0</uuid>");
        assertThat(TestDomains.parse(xml).config().uuid()).hasValueSatisfying(
                u -> assertThat(u).hasToString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"));
    }

    @Test
    void invalidMacAddress() {
        assertThat(refusal(TestDomains.withDevices("""
                <interface type='bridge'>
                  <mac address='52:54:00:zz:00:01'/>
                  <source bridge='br0'/>
                </interface>""")))
                .hasMessage("domain.xml:14: element 'mac' attribute 'address': invalid MAC address "
                        + "'52:54:00:zz:00:01' (expected six hexadecimal bytes separated by ':')");
    }

    @Test
    void invalidAddressNumber() {
        assertThat(refusal(TestDomains.withDevices("""
                <memballoon model='virtio'>
                  <address type='pci' domain='0x0000' bus='0x00' slot='0xzz' function='0x0'/>
                </memballoon>""")))
                .hasMessage("domain.xml:14: element 'address' attribute 'slot': invalid value '0xzz' (expected a non-negative integer)");
    }

    @Test
    void invalidYesNo() {
        assertThat(refusal(TestDomains.withDevices("""
                <hostdev mode='subsystem' type='pci' managed='maybe'>
                  <source><address domain='0' bus='5' slot='0' function='0'/></source>
                </hostdev>""")))
                .hasMessage("domain.xml:13: element 'hostdev' attribute 'managed': unsupported value 'maybe' (expected yes or no)");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            0-3,^2-3 | '^2-3' excludes a range; only single CPUs can be excluded
            1-a      | 'a' is not a CPU number
            3-1      | range '3-1' ends before it starts
            0,,1     | '' is not a CPU number
            16384    | CPU 16384 is above 16383""")
    void invalidCpusetSyntax(String cpuset, String why) {
        String xml = TestDomains.withDevices("").replace("<iothreads>1</iothreads>",
                "<cputune><vcpupin vcpu='0' cpuset='" + cpuset + "'/></cputune>");
        assertThat(refusal(xml)).hasMessage("domain.xml:5: element 'vcpupin' attribute 'cpuset': invalid cpuset '"
                + cpuset + "': " + why);
    }

    @Test
    void cpusetSelectsAsLibvirtDoes() {
        assertThat(new CpuSet("0-3,^2,8").cpus()).hasToString("{0, 1, 3, 8}");
        assertThat(new CpuSet(" 24 ").cpus()).hasToString("{24}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', textBlock = """
            1     | b     | 1
            1024  | bytes | 1
            1     | KB    | 1
            1     | k     | 1
            7     | KiB   | 7
            1     | MB    | 977
            1     | M     | 1024
            1     | MiB   | 1024
            1     | GB    | 976563
            2     | G     | 2097152
            8     | GiB   | 8388608
            1     | TB    | 976562500
            1     | T     | 1073741824
            1     | tib   | 1073741824""")
    void memoryUnitsAreStoredInKibRoundedUp(long value, String unit, long kib) {
        String xml = TestDomains.withDevices("").replace("<memory unit='MiB'>512</memory>",
                "<memory unit='" + unit + "'>" + value + "</memory>");
        assertThat(TestDomains.parse(xml).config().memoryKiB()).isEqualTo(kib);
    }

    @Test
    void memoryWithoutUnitIsKib() {
        String xml = TestDomains.withDevices("").replace("<memory unit='MiB'>512</memory>", "<memory>4096</memory>");
        assertThat(TestDomains.parse(xml).config().memoryKiB()).isEqualTo(4096);
    }

    @Test
    void unknownMemoryUnit() {
        String xml = TestDomains.withDevices("").replace("unit='MiB'", "unit='XB'");
        assertThat(refusal(xml)).hasMessage("domain.xml:3: element 'memory' attribute 'unit': unknown unit 'XB' "
                + "(expected b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E or EiB)");
    }

    @Test
    void memoryOverflowIsRefused() {
        String xml = TestDomains.withDevices("").replace("<memory unit='MiB'>512</memory>",
                "<memory unit='EiB'>9999</memory>");
        assertThat(refusal(xml)).hasMessage(
                "domain.xml:3: element 'memory': size 9999 EiB is too large (at most 9223372036854775807 KiB)");
        String huge = TestDomains.withDevices("").replace("<memory unit='MiB'>512</memory>",
                "<memory>99999999999999999999</memory>");
        assertThat(refusal(huge)).hasMessage(
                "domain.xml:3: element 'memory': invalid value '99999999999999999999' (expected a non-negative decimal integer)");
    }

    @Test
    void memballoonAutodeflateIsReadOnAliasAsInSeed004() {
        DomainConfig c = TestDomains.parse(TestDomains.withDevices("""
                <memballoon model='virtio'>
                  <alias name='balloon0' autodeflate='on'/>
                </memballoon>""")).config();
        assertThat(c.devices().memballoon()).hasValueSatisfying(b -> {
            assertThat(b.autodeflate()).hasValue(true);
            assertThat(b.extensions().isEmpty()).isTrue();
        });
        assertThat(new DomainXmlWriter().write(c)).contains("<memballoon model='virtio' autodeflate='on'>");
    }

    @Test
    void contradictoryAutodeflateIsRefused() {
        assertThatThrownBy(() -> TestDomains.parse(TestDomains.withDevices("""
                <memballoon model='virtio' autodeflate='off'>
                  <alias name='balloon0' autodeflate='on'/>
                </memballoon>""")))
                .hasMessage("domain.xml:14: element 'alias' attribute 'autodeflate': contradicts autodeflate on 'memballoon'");
    }
}
