package io.dpuvirt.virt.conf;

import java.io.StringWriter;
import java.io.Writer;
import java.util.OptionalInt;

/**
 * Writes a {@link DomainConfig} as libvirt domain XML, as {@code virsh dumpxml} lays it out: libvirt's
 * element order, two-space indentation, memory in KiB. Everything the records kept from the document
 * they were read from is written back.
 */
public final class DomainXmlWriter {
    public String write(DomainConfig config) {
        return write(config, OptionalInt.empty());
    }

    /** The XML of a running domain: {@code <domain type='kvm' id='3'>}, as libvirt prints a live definition. */
    public String write(DomainConfig config, OptionalInt liveId) {
        StringWriter out = new StringWriter();
        write(config, liveId, out);
        return out.toString();
    }

    public void write(DomainConfig config, Writer destination) {
        write(config, OptionalInt.empty(), destination);
    }

    private void write(DomainConfig config, OptionalInt liveId, Writer destination) {
        XmlOutput out = new XmlOutput(new XmlEmitter(destination));
        ElementWriter.root(out, "domain", config.extensions(), domain -> writeDomain(domain, config, liveId));
        out.finish();
    }

    private static void writeDomain(ElementWriter w, DomainConfig c, OptionalInt liveId) {
        w.attribute("type", c.type().xmlValue());
        liveId.ifPresent(id -> w.attribute("id", Integer.toString(id)));
        w.textPart("name", c.name());
        w.textPart("uuid", c.uuid());
        w.textPart("title", c.title());
        w.textPart("description", c.description());
        w.part("memory", m -> m.attribute("unit", MemoryUnits.KIB).text(Long.toString(c.memoryKiB())));
        c.currentMemoryKiB().ifPresent(kib ->
                w.part("currentMemory", m -> m.attribute("unit", MemoryUnits.KIB).text(Long.toString(kib))));
        c.memoryBacking().ifPresent(backing -> w.child("memoryBacking", backing.extensions(),
                b -> writeMemoryBacking(b, backing)));
        w.part("vcpu", v -> v.attribute("placement", c.vcpu().placement())
                .attribute("cpuset", c.vcpu().cpuset())
                .text(Integer.toString(c.vcpu().count())));
        w.textPart("iothreads", c.iothreads());
        c.cputune().ifPresent(tune -> w.child("cputune", tune.extensions(), t -> writeCpuTune(t, tune)));
        w.child("os", c.os().extensions(), o -> writeOs(o, c.os()));
        c.features().ifPresent(features -> w.child("features", features.extensions(), f -> writeFeatures(f, features)));
        c.cpu().ifPresent(cpu -> w.child("cpu", cpu.extensions(), p -> writeCpu(p, cpu)));
        c.clock().ifPresent(clock -> w.child("clock", clock.extensions(), k -> k.attribute("offset", clock.offset())));
        w.textPart("on_poweroff", c.lifecycle().onPoweroff());
        w.textPart("on_reboot", c.lifecycle().onReboot());
        w.textPart("on_crash", c.lifecycle().onCrash());
        w.child("devices", c.devices().extensions(), d -> DeviceXmlWriter.writeDevices(d, c.devices()));
    }

    private static void writeMemoryBacking(ElementWriter w, MemoryBacking backing) {
        if (backing.hugepages()) {
            w.part("hugepages", h -> {
                int count = backing.pages().size();
                for (int i = 0; i < count; i++) {
                    MemoryBacking.HugePage page = backing.pages().get(i);
                    h.part("page", i, count, p -> p.attribute("size", Long.toString(page.sizeKiB()))
                            .attribute("unit", MemoryUnits.KIB)
                            .attribute("nodeset", page.nodeset()));
                }
            });
        }
    }

    private static void writeCpuTune(ElementWriter w, CpuTune tune) {
        int count = tune.vcpuPins().size();
        for (int i = 0; i < count; i++) {
            CpuTune.VcpuPin pin = tune.vcpuPins().get(i);
            w.part("vcpupin", i, count, p -> p.attribute("vcpu", Integer.toString(pin.vcpu()))
                    .attribute("cpuset", pin.cpuset().spec()));
        }
        tune.emulatorPin().ifPresent(pin -> w.part("emulatorpin", p -> p.attribute("cpuset", pin.spec())));
    }

    private static void writeOs(ElementWriter w, OsConfig os) {
        w.part("type", t -> t.attribute("arch", os.arch()).attribute("machine", os.machine()).text(os.type()));
        os.loader().ifPresent(loader -> w.part("loader", l -> l.attribute("readonly", loader.readonly().map(DomainXmlWriter::yesNo))
                .attribute("type", loader.type())
                .text(loader.path())));
        os.nvram().ifPresent(nvram -> w.part("nvram", n -> n.attribute("template", nvram.template()).text(nvram.path())));
        w.textPart("kernel", os.kernel());
        w.textPart("initrd", os.initrd());
        w.textPart("cmdline", os.cmdline());
        int count = os.bootDevices().size();
        for (int i = 0; i < count; i++) {
            OsConfig.BootDevice device = os.bootDevices().get(i);
            w.part("boot", i, count, b -> b.attribute("dev", device.xmlValue()));
        }
    }

    private static void writeFeatures(ElementWriter w, Features features) {
        flag(w, "acpi", features.acpi());
        flag(w, "apic", features.apic());
        flag(w, "pae", features.pae());
        if (features.gic()) {
            w.part("gic", g -> g.attribute("version", features.gicVersion()));
        }
    }

    private static void writeCpu(ElementWriter w, CpuConfig cpu) {
        w.attribute("mode", cpu.mode());
        w.textPart("model", cpu.model());
        cpu.topology().ifPresent(t -> w.part("topology", p -> p.attribute("sockets", Integer.toString(t.sockets()))
                .attribute("dies", t.dies())
                .attribute("cores", Integer.toString(t.cores()))
                .attribute("threads", Integer.toString(t.threads()))));
    }

    static void flag(ElementWriter w, String element, boolean present) {
        if (present) {
            w.part(element, e -> { });
        }
    }

    static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }

    static String onOff(boolean value) {
        return value ? "on" : "off";
    }
}
