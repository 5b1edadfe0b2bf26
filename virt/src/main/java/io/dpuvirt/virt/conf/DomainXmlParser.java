package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.SourceElement;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads libvirt domain XML into a {@link DomainConfig}. The document is read by {@link SecureXmlReader}
 * (no DTD, size and depth caps); values outside the model (a disk of type {@code nfs}) are refused with
 * the line, element and attribute; elements and attributes the model does not know are kept.
 * Structural checks only: cross-field rules are {@link DomainValidator}'s.
 */
public final class DomainXmlParser {
    private final SecureXmlReader reader;

    public DomainXmlParser() {
        this(new SecureXmlReader());
    }

    public DomainXmlParser(SecureXmlReader reader) {
        this.reader = reader;
    }

    public ParsedDomain parse(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return parse(file.getFileName().toString(), in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    /** Parses a document held in a string, read as UTF-8. */
    public ParsedDomain parse(String source, String xml) {
        return parse(source, xml.getBytes(StandardCharsets.UTF_8));
    }

    public ParsedDomain parse(String source, InputStream in) {
        return toDomain(source, reader.read(source, in));
    }

    public ParsedDomain parse(String source, byte[] xml) {
        return toDomain(source, reader.read(source, xml));
    }

    private static ParsedDomain toDomain(String source, SourceElement root) {
        ElementReader domain = ElementReader.record(source, root);
        if (!root.namespaceUri().isEmpty() || !root.localName().equals("domain")) {
            throw domain.error("the root element must be 'domain'");
        }
        return new ParsedDomain(readDomain(domain), SourcePositions.of(source, root));
    }

    private static DomainConfig readDomain(ElementReader r) {
        DomainConfig.Type type = r.requiredEnumAttribute("type", DomainConfig.Type.class);
        // the id of a running domain, in what dumpxml printed: a definition has none, and libvirt ignores it
        r.attribute("id");
        String name = r.requiredPart("name").text().orElse("");
        Optional<UUID> uuid = r.part("uuid").map(DomainXmlParser::readUuid);
        Optional<String> title = r.partText("title");
        Optional<String> description = r.partText("description");
        long memory = readMemory(r.requiredPart("memory"));
        Optional<Long> currentMemory = r.part("currentMemory").map(DomainXmlParser::readMemory);
        Optional<MemoryBacking> memoryBacking = r.child("memoryBacking").map(DomainXmlParser::readMemoryBacking);
        VcpuConfig vcpu = r.part("vcpu").map(DomainXmlParser::readVcpu).orElse(VcpuConfig.DEFAULT);
        Optional<Integer> iothreads = r.part("iothreads").map(ElementReader::intText);
        Optional<CpuTune> cputune = r.child("cputune").map(DomainXmlParser::readCpuTune);
        OsConfig os = readOs(r.requiredChild("os"));
        Optional<Features> features = r.child("features").map(DomainXmlParser::readFeatures);
        Optional<CpuConfig> cpu = r.child("cpu").map(DomainXmlParser::readCpu);
        Optional<ClockConfig> clock = r.child("clock").map(c -> new ClockConfig(c.attribute("offset"), c.extensions()));
        Lifecycle lifecycle = new Lifecycle(action(r, "on_poweroff"), action(r, "on_reboot"), action(r, "on_crash"));
        Devices devices = r.child("devices").map(DeviceXmlParser::readDevices).orElse(Devices.NONE);
        return new DomainConfig(type, name, uuid, title, description, memory, currentMemory, memoryBacking, vcpu,
                iothreads, cputune, os, features, cpu, clock, lifecycle, devices, r.extensions());
    }

    /** libvirt accepts the 32 hex digits with or without dashes. */
    private static UUID readUuid(ElementReader r) {
        String text = r.requiredText().strip();
        String hex = text.replace("-", "");
        if (hex.length() != 32 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            throw r.error("invalid UUID '" + text + "' (expected 32 hexadecimal digits, as in "
                    + "4dea22b3-1d52-d8f3-2516-782e98ab3fa0)");
        }
        return new UUID(HexFormat.fromHexDigitsToLong(hex, 0, 16), HexFormat.fromHexDigitsToLong(hex, 16, 32));
    }

    private static long readMemory(ElementReader r) {
        return toKiB(r, r.longText(), "unit", r.attribute("unit").orElse(MemoryUnits.KIB));
    }

    private static long toKiB(ElementReader r, long value, String unitAttribute, String unit) {
        try {
            return MemoryUnits.toKiB(value, unit).orElseThrow(() -> r.error(
                    "size " + value + " " + unit + " is too large (at most " + Long.MAX_VALUE + " KiB)"));
        } catch (IllegalArgumentException e) {
            throw r.error(unitAttribute, e.getMessage());
        }
    }

    private static MemoryBacking readMemoryBacking(ElementReader r) {
        Optional<ElementReader> hugepages = r.part("hugepages");
        List<MemoryBacking.HugePage> pages = hugepages.map(h -> h.parts("page")).orElse(List.of()).stream()
                .map(page -> new MemoryBacking.HugePage(
                        toKiB(page, page.longAttribute("size").orElseThrow(() -> page.error("size",
                                "required attribute is missing")), "unit",
                                page.attribute("unit").orElse(MemoryUnits.KIB)),
                        page.attribute("nodeset")))
                .toList();
        return new MemoryBacking(hugepages.isPresent(), pages, r.extensions());
    }

    private static VcpuConfig readVcpu(ElementReader r) {
        return new VcpuConfig(r.intText(), r.enumAttribute("placement", VcpuConfig.Placement.class),
                cpuSet(r, "cpuset"));
    }

    private static CpuTune readCpuTune(ElementReader r) {
        List<CpuTune.VcpuPin> pins = r.parts("vcpupin").stream()
                .map(pin -> new CpuTune.VcpuPin(pin.intAttribute("vcpu").orElseThrow(
                        () -> pin.error("vcpu", "required attribute is missing")), requiredCpuSet(pin, "cpuset")))
                .toList();
        Optional<CpuSet> emulatorPin = r.part("emulatorpin").map(pin -> requiredCpuSet(pin, "cpuset"));
        return new CpuTune(pins, emulatorPin, r.extensions());
    }

    private static Optional<CpuSet> cpuSet(ElementReader r, String attribute) {
        return r.attribute(attribute).map(spec -> {
            try {
                return new CpuSet(spec);
            } catch (IllegalArgumentException e) {
                throw r.error(attribute, e.getMessage());
            }
        });
    }

    private static CpuSet requiredCpuSet(ElementReader r, String attribute) {
        r.requiredAttribute(attribute);
        return cpuSet(r, attribute).orElseThrow();
    }

    private static OsConfig readOs(ElementReader r) {
        ElementReader type = r.requiredPart("type");
        Optional<String> arch = type.attribute("arch");
        Optional<String> machine = type.attribute("machine");
        String osType = type.requiredText().strip();
        Optional<String> kernel = r.partText("kernel");
        Optional<String> initrd = r.partText("initrd");
        Optional<String> cmdline = r.partText("cmdline");
        Optional<OsConfig.Loader> loader = r.part("loader").map(l -> new OsConfig.Loader(
                l.requiredText().strip(), l.yesNoAttribute("readonly"), l.attribute("type")));
        Optional<OsConfig.Nvram> nvram = r.part("nvram").map(n -> new OsConfig.Nvram(
                n.requiredText().strip(), n.attribute("template")));
        List<OsConfig.BootDevice> boot = r.parts("boot").stream()
                .map(b -> b.requiredEnumAttribute("dev", OsConfig.BootDevice.class))
                .toList();
        return new OsConfig(osType, arch, machine, kernel, initrd, cmdline, loader, nvram, boot, r.extensions());
    }

    private static Features readFeatures(ElementReader r) {
        boolean acpi = r.flag("acpi");
        boolean apic = r.flag("apic");
        boolean pae = r.flag("pae");
        Optional<ElementReader> gic = r.part("gic");
        Optional<String> gicVersion = gic.flatMap(g -> g.attribute("version"));
        return new Features(acpi, apic, pae, gic.isPresent(), gicVersion, r.extensions());
    }

    private static CpuConfig readCpu(ElementReader r) {
        Optional<CpuConfig.Mode> mode = r.enumAttribute("mode", CpuConfig.Mode.class);
        Optional<String> model = r.part("model").map(m -> m.requiredText().strip());
        Optional<CpuConfig.Topology> topology = r.part("topology").map(t -> new CpuConfig.Topology(
                requiredInt(t, "sockets"), t.intAttribute("dies"), requiredInt(t, "cores"),
                requiredInt(t, "threads")));
        return new CpuConfig(mode, model, topology, r.extensions());
    }

    static int requiredInt(ElementReader r, String attribute) {
        r.requiredAttribute(attribute);
        return r.intAttribute(attribute).orElseThrow();
    }

    private static Optional<Lifecycle.Action> action(ElementReader r, String element) {
        return r.part(element).map(a -> a.enumText(Lifecycle.Action.class));
    }
}
