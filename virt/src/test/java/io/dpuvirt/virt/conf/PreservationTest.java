package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlAttribute;
import io.dpuvirt.virt.conf.xml.XmlElement;
import io.dpuvirt.virt.conf.xml.XmlNamespace;
import io.dpuvirt.virt.conf.xml.XmlText;
import org.junit.jupiter.api.Test;


import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the model does not know is kept and written back: the "kitchen sink" guest. */
class PreservationTest {
    private static final String SINK = "kitchen-sink.xml";

    @Test
    void kitchenSinkRoundTripsToEqualRecordsAndIdenticalText() {
        DomainConfig first = TestDomains.parseResource(SINK).config();
        String written = new DomainXmlWriter().write(first);
        DomainConfig second = TestDomains.parse(written).config();
        assertThat(second).isEqualTo(first);
        assertThat(new DomainXmlWriter().write(second)).isEqualTo(written);
    }

    @Test
    void modelledValuesOfTheKitchenSink() {
        DomainConfig c = TestDomains.parseResource(SINK).config();
        assertThat(c.title()).hasValue("Sink & \"friends\" <all>");
        assertThat(c.memoryKiB()).isEqualTo(1024 * 1024);
        assertThat(c.vcpu().cpuset()).hasValue(new CpuSet("0-3,^2,8"));
        assertThat(c.devices().interfaces().get(0).source())
                .isEqualTo(new InterfaceConfig.VhostUser("/var/run/openvswitch/vhu0", InterfaceConfig.VhostUserMode.SERVER));
        assertThat(c.devices().interfaces().get(0).mac()).hasValue(MacAddress.parse("52:54:00:ab:cd:ef"));
        assertThat(c.devices().interfaces().get(0).driverQueues()).hasValue(4);
        assertThat(c.devices().serials().get(1).source())
                .isEqualTo(new CharDeviceConfig.Unix("/run/sink/serial1.sock", java.util.Optional.of(CharDeviceConfig.SocketMode.BIND)));
        assertThat(c.devices().graphics()).singleElement().satisfies(g -> {
            assertThat(g.type()).isEqualTo("vnc");
            assertThat(g.port()).hasValue(-1);
        });
        assertThat(c.devices().disks().get(1).address()).hasValueSatisfying(a -> assertThat(a).isInstanceOf(OtherAddress.class));
    }

    @Test
    void unknownElementsStayWithTheirParentAfterTheSiblingTheyFollowed() {
        DomainConfig c = TestDomains.parseResource(SINK).config();
        assertThat(c.extensions().at("").elements()).extracting(p -> p.after() + ">" + p.element().qualifiedName())
                .containsExactly("uuid>genid", "description>metadata", "description>maxMemory", "cputune>numatune",
                        "devices>seclabel", "devices>qemu:commandline");
        assertThat(c.devices().extensions().at("").elements()).extracting(p -> p.after() + ">" + p.element().qualifiedName())
                .containsExactly("console>channel", "hostdev>watchdog", "vsock>x:gadget");
        String written = new DomainXmlWriter().write(c);
        assertThat(written).containsSubsequence("<uuid>", "<genid>", "<title>", "<description>", "<metadata>",
                "<maxMemory", "<memory", "</devices>", "<seclabel", "<qemu:commandline>");
    }

    @Test
    void unknownAttributesAndPartsAreKeptUnderTheirPartPath() {
        DomainConfig c = TestDomains.parseResource(SINK).config();
        DiskConfig disk = c.devices().disks().getFirst();
        assertThat(disk.extensions().at("target").attributes())
                .containsExactly(new XmlAttribute("urn:example:x", "x", "flag", "1"));
        assertThat(disk.extensions().at("driver").attributes()).containsExactly(XmlAttribute.plain("discard", "unmap"));
        assertThat(disk.extensions().at("iotune").elements()).extracting(p -> p.element().localName())
                .containsExactly("size_iops_sec");
        assertThat(c.cputune().orElseThrow().extensions().at("vcpupin[2]").attributes())
                .containsExactly(new XmlAttribute("urn:example:x", "x", "note", "hot"));
        assertThat(c.extensions().at("memory").attributes()).containsExactly(XmlAttribute.plain("dumpCore", "off"));
        assertThat(c.extensions().at("").namespaces()).containsExactly(
                new XmlNamespace("qemu", "http://libvirt.org/schemas/domain/qemu/1.0"),
                new XmlNamespace("x", "urn:example:x"));
    }

    @Test
    void namespacedMetadataIsKeptWithItsDeclarationsAndMixedText() {
        DomainConfig c = TestDomains.parseResource(SINK).config();
        XmlElement metadata = c.extensions().at("").elements().stream()
                .map(PreservedElement::element).filter(e -> e.localName().equals("metadata")).findFirst().orElseThrow();
        XmlElement foo = (XmlElement) metadata.children().getFirst();
        assertThat(foo.namespaces()).containsExactly(new XmlNamespace("app1", "http://app1.org/app1/"));
        assertThat(foo.children()).containsExactly(new XmlText("fooish"));
        String written = new DomainXmlWriter().write(c);
        assertThat(written)
                .contains("<app1:foo xmlns:app1='http://app1.org/app1/'>fooish</app1:foo>")
                .contains("<app2:baz>mixed <b>bold</b> text</app2:baz>")
                .contains("<qemu:arg value='-trace'/>")
                .contains("<title>Sink &amp; &quot;friends&quot; &lt;all&gt;</title>");
    }

    @Test
    void writerIndentsTwoSpacesAndWritesMemoryInKib() {
        String written = new DomainXmlWriter().write(TestDomains.parseResource("seed004-x86.xml").config());
        assertThat(written).startsWith("<domain type='kvm'>\n  <name>StratoVirt</name>\n  <memory unit='KiB'>8388608</memory>\n")
                .contains("\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='raw' iothread='1'/>\n")
                .endsWith("</devices>\n</domain>\n");
    }

    @Test
    void writerRefusesCharactersXmlCannotCarry() {
        DomainConfig c = TestDomains.parse(TestDomains.withDevices("")).config();
        DomainConfig bad = new DomainConfig(c.type(), "guest", c.uuid(), java.util.Optional.of("bell \u0007"),
                c.description(), c.memoryKiB(), c.currentMemoryKiB(), c.memoryBacking(), c.vcpu(), c.iothreads(),
                c.cputune(), c.os(), c.features(), c.cpu(), c.clock(), c.lifecycle(), c.devices(), c.extensions());
        assertThatThrownBy(() -> new DomainXmlWriter().write(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("character U+0007 at index 5 cannot be written in XML");
    }

    @Test
    void extensionsNeverHoldEmptyUnknowns() {
        assertThatThrownBy(() -> new Extensions(java.util.Map.of("target", Unknowns.NONE)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(TestDomains.parseResource("seed004-x86.xml").config().devices().disks().getFirst().extensions())
                .isEqualTo(Extensions.NONE);
    }
}
