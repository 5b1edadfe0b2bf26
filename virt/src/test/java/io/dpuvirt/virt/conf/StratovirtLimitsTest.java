package io.dpuvirt.virt.conf;

import org.junit.jupiter.api.Test;

import static io.dpuvirt.virt.conf.DomainValidatorTest.problems;
import static org.assertj.core.api.Assertions.assertThat;

/** Seed 004's rules for StratoVirt, each with its exact message. */
class StratovirtLimitsTest {
    private static final StratovirtLimits STRATOVIRT = new StratovirtLimits();

    /** Checked with pflash firmware (which StratoVirt's q35 needs), on the line of {@code </type>}, unless it has a loader. */
    private static java.util.List<String> stratovirt(String xml) {
        return problems(xml.contains("<loader") ? xml : xml.replace("</type>", "</type><loader type='pflash'>/pflash</loader>"),
                STRATOVIRT);
    }

    private static final String CONSOLE_BUS = """
            <controller type='virtio-serial' index='0'/>
            """;

    @Test
    void aSingleConsole() {
        assertThat(stratovirt(TestDomains.withDevices(CONSOLE_BUS + """
                <console type='pty'><target type='virtio' port='0'/></console>
                <console type='pty'><target type='virtio' port='1'/></console>""")))
                .containsExactly("domain.xml:15: element 'console': StratoVirt supports a single console, this domain has 2");
    }

    @Test
    void consoleIsVirtioOnAVirtioSerialController() {
        assertThat(stratovirt(TestDomains.withDevices("<console type='pty'>\n  <target type='serial' port='0'/>\n</console>")))
                .containsExactly(
                        "domain.xml:14: element 'target' attribute 'type': StratoVirt consoles need target type 'virtio', not 'serial'",
                        "domain.xml:13: element 'console': a StratoVirt console needs a virtio-serial controller");
    }

    @Test
    void rngPeriodIsFixedAt1000Milliseconds() {
        String rng = """
                <rng model='virtio'>
                  <rate period='%s' bytes='1234'/>
                  <backend model='random'>/dev/urandom</backend>
                </rng>""";
        assertThat(stratovirt(TestDomains.withDevices(rng.formatted("1000")))).isEmpty();
        assertThat(problems(TestDomains.withDevices(rng.formatted("500")), DriverLimits.NONE)).isEmpty();
        assertThat(stratovirt(TestDomains.withDevices(rng.formatted("500"))))
                .containsExactly("domain.xml:14: element 'rate' attribute 'period': period 500 is not supported: "
                        + "StratoVirt uses a fixed period of 1000 ms");
    }

    @Test
    void rawFileDisksOnVirtio() {
        assertThat(stratovirt(TestDomains.withDevices("""
                <disk type='block' device='cdrom'>
                  <driver name='qemu' type='qcow2'/>
                  <target dev='sda'/>
                </disk>""")))
                .containsExactly(
                        "domain.xml:13: element 'disk' attribute 'type': StratoVirt supports only disks of type 'file'",
                        "domain.xml:13: element 'disk' attribute 'device': StratoVirt supports only device 'disk'",
                        "domain.xml:14: element 'driver' attribute 'type': StratoVirt supports only raw disks, not 'qcow2'",
                        "domain.xml:15: element 'target' attribute 'bus': StratoVirt supports only the virtio bus, not 'scsi'");
    }

    @Test
    void noCpuTopology() {
        String xml = TestDomains.withDevices("").replace("<devices>",
                "<cpu mode='host-passthrough'>\n    <topology sockets='1' cores='2' threads='1'/>\n  </cpu>\n  <devices>");
        assertThat(stratovirt(xml)).containsExactly("domain.xml:13: element 'topology': StratoVirt does not support a CPU topology");
    }

    @Test
    void machineFollowsTheArchitecture() {
        assertThat(stratovirt(TestDomains.withDevices("").replace("machine='q35'", "machine='pc'")))
                .containsExactly("domain.xml:7: element 'type' attribute 'machine': StratoVirt needs machine 'q35' on x86_64, not 'pc'");
        assertThat(stratovirt(TestDomains.withDevices("").replace("arch='x86_64' machine='q35'", "arch='aarch64' machine='q35'")))
                .containsExactly("domain.xml:7: element 'type' attribute 'machine': StratoVirt needs machine 'virt' on aarch64, not 'q35'");
        assertThat(stratovirt(TestDomains.withDevices("").replace("arch='x86_64'", "arch='riscv64'")))
                .containsExactly("domain.xml:7: element 'type' attribute 'arch': StratoVirt supports only x86_64 and aarch64, not 'riscv64'");
    }

    @Test
    void acpiIsRequired() {
        assertThat(stratovirt(TestDomains.withDevices("").replace("<acpi/>", "<apic/>")))
                .containsExactly("domain.xml:9: element 'features': StratoVirt needs the 'acpi' feature");
        assertThat(stratovirt(TestDomains.withDevices("").replace("<features>\n    <acpi/>\n  </features>\n", "")))
                .containsExactly("domain.xml:1: element 'domain': StratoVirt needs the 'acpi' feature");
    }

    @Test
    void gicVersion3AndKvmAndPflash() {
        String xml = TestDomains.withDevices("")
                .replace("<domain type='kvm'>", "<domain type='qemu'>")
                .replace("<acpi/>", "<acpi/><gic version='2'/>")
                .replace("</type>", "</type><loader type='rom'>/bios.bin</loader>");
        assertThat(stratovirt(xml)).containsExactly(
                "domain.xml:1: element 'domain' attribute 'type': StratoVirt runs only domains of type 'kvm'",
                "domain.xml:7: element 'loader' attribute 'type': StratoVirt loads firmware only as 'pflash', not 'rom'",
                "domain.xml:10: element 'gic' attribute 'version': StratoVirt supports only GIC version 3, not '2'");
    }

    @Test
    void virtioModels() {
        assertThat(stratovirt(TestDomains.withDevices("""
                <interface type='bridge'>
                  <source bridge='br0'/>
                  <model type='e1000'/>
                </interface>
                <memballoon model='xen'/>""")))
                .containsExactly(
                        "domain.xml:15: element 'model' attribute 'type': StratoVirt supports only model 'virtio', not 'e1000'",
                        "domain.xml:17: element 'memballoon' attribute 'model': StratoVirt supports only model 'virtio', not 'xen'");
    }

    @Test
    void x86NeedsPflashFirmware() {
        assertThat(problems(TestDomains.withDevices(""), STRATOVIRT))
                .containsExactly("domain.xml:6: element 'os': StratoVirt's x86_64 machine q35 needs pflash firmware: "
                        + "<loader type='pflash'>");
        assertThat(problems(TestDomains.withDevices("").replace("arch='x86_64' machine='q35'", "arch='aarch64' machine='virt'"),
                STRATOVIRT)).isEmpty();
    }

    @Test
    void memoryInWholeMibFrom128MibTo512Gib() {
        assertThat(stratovirt(TestDomains.withDevices("").replace("<memory unit='MiB'>512", "<memory unit='KiB'>131073")))
                .containsExactly("domain.xml:3: element 'memory': StratoVirt takes memory in whole MiB, not 131073 KiB");
        assertThat(stratovirt(TestDomains.withDevices("").replace("<memory unit='MiB'>512", "<memory unit='MiB'>64")))
                .containsExactly("domain.xml:3: element 'memory': StratoVirt supports 128 MiB to 512 GiB of memory, not 64 MiB");
        assertThat(stratovirt(TestDomains.withDevices("").replace("<memory unit='MiB'>512", "<memory unit='GiB'>512")))
                .isEmpty();
    }
}
