package io.dpuvirt.virt.conf;

import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/** Writes {@code <devices>} for {@link DomainXmlWriter}, kinds in libvirt's order. */
final class DeviceXmlWriter {
    private DeviceXmlWriter() {
    }

    static void writeDevices(ElementWriter w, Devices devices) {
        w.textPart("emulator", devices.emulator());
        each(w, "disk", devices.disks(), DiskConfig::extensions, DeviceXmlWriter::writeDisk);
        each(w, "controller", devices.controllers(), ControllerConfig::extensions, DeviceXmlWriter::writeController);
        each(w, "interface", devices.interfaces(), InterfaceConfig::extensions, DeviceXmlWriter::writeInterface);
        each(w, "serial", devices.serials(), CharDeviceConfig::extensions, DeviceXmlWriter::writeCharDevice);
        each(w, "console", devices.consoles(), CharDeviceConfig::extensions, DeviceXmlWriter::writeCharDevice);
        each(w, "input", devices.inputs(), InputConfig::extensions, DeviceXmlWriter::writeInput);
        each(w, "graphics", devices.graphics(), GraphicsConfig::extensions, DeviceXmlWriter::writeGraphics);
        each(w, "video", devices.videos(), VideoConfig::extensions, DeviceXmlWriter::writeVideo);
        each(w, "hostdev", devices.hostdevs(), HostdevConfig::extensions, DeviceXmlWriter::writeHostdev);
        each(w, "memballoon", devices.memballoon().stream().toList(), MemballoonConfig::extensions,
                DeviceXmlWriter::writeMemballoon);
        each(w, "rng", devices.rngs(), RngConfig::extensions, DeviceXmlWriter::writeRng);
        each(w, "vsock", devices.vsock().stream().toList(), VsockConfig::extensions, DeviceXmlWriter::writeVsock);
    }

    private static <T> void each(ElementWriter w, String element, List<T> devices,
                                 Function<T, Extensions> extensions,
                                 BiConsumer<ElementWriter, T> body) {
        for (T device : devices) {
            w.child(element, extensions.apply(device), d -> body.accept(d, device));
        }
    }

    private static void writeDisk(ElementWriter w, DiskConfig disk) {
        w.attribute("type", disk.type().xmlValue()).attribute("device", disk.device().xmlValue());
        disk.driver().ifPresent(driver -> w.part("driver", d -> d.attribute("name", driver.name())
                .attribute("type", driver.format())
                .attribute("cache", driver.cache())
                .attribute("io", driver.io())
                .attribute("iothread", driver.iothread())));
        String sourceAttribute = disk.type() == DiskConfig.Type.FILE ? "file" : "dev";
        disk.source().ifPresent(path -> w.part("source", s -> s.attribute(sourceAttribute, path)));
        w.part("target", t -> t.attribute("dev", disk.targetDev()).attribute("bus", disk.targetBus()));
        disk.iotune().ifPresent(iotune -> w.part("iotune", t -> {
            for (IoTune.Limit limit : IoTune.Limit.values()) {
                t.textPart(limit.elementName(), iotune.limit(limit));
            }
        }));
        DomainXmlWriter.flag(w, "readonly", disk.readonly());
        w.textPart("serial", disk.serial());
        writeBootOrder(w, disk.bootOrder());
        writeAliasAndAddress(w, disk.alias(), disk.address());
    }

    private static void writeController(ElementWriter w, ControllerConfig controller) {
        w.attribute("type", controller.type().xmlValue())
                .attribute("index", controller.index())
                .attribute("model", controller.model());
        writeAliasAndAddress(w, controller.alias(), controller.address());
    }

    private static void writeInterface(ElementWriter w, InterfaceConfig nic) {
        w.attribute("type", nic.source().type().xmlValue());
        nic.mac().ifPresent(mac -> w.part("mac", m -> m.attribute("address", mac.value())));
        switch (nic.source()) {
            case InterfaceConfig.Bridge b -> w.part("source", s -> s.attribute("bridge", b.bridge()));
            case InterfaceConfig.Network n -> w.part("source", s -> s.attribute("network", n.network()));
            case InterfaceConfig.VhostUser v -> w.part("source", s -> s.attribute("type", "unix")
                    .attribute("path", v.path())
                    .attribute("mode", v.mode().xmlValue()));
            case InterfaceConfig.Ethernet e -> { }
        }
        nic.targetDev().ifPresent(dev -> w.part("target", t -> t.attribute("dev", dev)));
        nic.model().ifPresent(model -> w.part("model", m -> m.attribute("type", model)));
        w.part("driver", nic.driverName().isPresent() || nic.driverQueues().isPresent(),
                d -> d.attribute("name", nic.driverName()).attribute("queues", nic.driverQueues()));
        writeBootOrder(w, nic.bootOrder());
        writeAliasAndAddress(w, nic.alias(), nic.address());
    }

    private static void writeCharDevice(ElementWriter w, CharDeviceConfig chardev) {
        w.attribute("type", chardev.source().type().xmlValue());
        switch (chardev.source()) {
            case CharDeviceConfig.Pty p -> { }
            case CharDeviceConfig.File f -> w.part("source", s -> s.attribute("path", f.path()));
            case CharDeviceConfig.Unix u -> w.part("source", s -> s.attribute("mode", u.mode()).attribute("path", u.path()));
        }
        w.part("target", chardev.targetType().isPresent() || chardev.targetPort().isPresent(),
                t -> t.attribute("type", chardev.targetType()).attribute("port", chardev.targetPort()));
        writeAliasAndAddress(w, chardev.alias(), chardev.address());
    }

    private static void writeInput(ElementWriter w, InputConfig input) {
        w.attribute("type", input.type()).attribute("bus", input.bus());
        writeAliasAndAddress(w, input.alias(), input.address());
    }

    private static void writeGraphics(ElementWriter w, GraphicsConfig graphics) {
        w.attribute("type", graphics.type())
                .attribute("port", graphics.port())
                .attribute("autoport", graphics.autoport().map(DomainXmlWriter::yesNo))
                .attribute("listen", graphics.listen());
    }

    private static void writeVideo(ElementWriter w, VideoConfig video) {
        w.part("model", video.modelType().isPresent(), m -> m.attribute("type", video.modelType()));
        writeAliasAndAddress(w, video.alias(), video.address());
    }

    private static void writeHostdev(ElementWriter w, HostdevConfig hostdev) {
        w.attribute("mode", "subsystem").attribute("type", "pci")
                .attribute("managed", hostdev.managed().map(DomainXmlWriter::yesNo));
        w.part("source", s -> s.part("address", a -> writePciAttributes(a, hostdev.source())));
        writeBootOrder(w, hostdev.bootOrder());
        writeAliasAndAddress(w, hostdev.alias(), hostdev.address());
    }

    private static void writeMemballoon(ElementWriter w, MemballoonConfig balloon) {
        w.attribute("model", balloon.model())
                .attribute("autodeflate", balloon.autodeflate().map(DomainXmlWriter::onOff));
        writeAliasAndAddress(w, balloon.alias(), balloon.address());
    }

    private static void writeRng(ElementWriter w, RngConfig rng) {
        w.attribute("model", rng.model());
        rng.rate().ifPresent(rate -> w.part("rate", r -> r.attribute("bytes", Long.toString(rate.bytes()))
                .attribute("period", rate.periodMillis())));
        w.part("backend", b -> {
            b.attribute("model", "random");
            rng.backendPath().ifPresent(b::text);
        });
        writeAliasAndAddress(w, rng.alias(), rng.address());
    }

    private static void writeVsock(ElementWriter w, VsockConfig vsock) {
        w.attribute("model", vsock.model());
        w.part("cid", vsock.cidAuto().isPresent() || vsock.cid().isPresent(),
                c -> c.attribute("auto", vsock.cidAuto().map(DomainXmlWriter::yesNo)).attribute("address", vsock.cid()));
        writeAliasAndAddress(w, vsock.alias(), vsock.address());
    }

    private static void writeBootOrder(ElementWriter w, Optional<Integer> order) {
        order.ifPresent(o -> w.part("boot", b -> b.attribute("order", Integer.toString(o))));
    }

    private static void writeAliasAndAddress(ElementWriter w, Optional<String> alias, Optional<DeviceAddress> address) {
        alias.ifPresent(name -> w.part("alias", a -> a.attribute("name", name)));
        address.ifPresent(value -> w.part("address", a -> {
            switch (value) {
                case PciAddress pci -> writePciAttributes(a.attribute("type", "pci"), pci);
                case OtherAddress other -> {
                    a.attribute("type", other.type());
                    other.attributes().forEach(attribute -> a.attribute(attribute.localName(), attribute.value()));
                }
            }
        }));
    }

    private static void writePciAttributes(ElementWriter w, PciAddress pci) {
        w.attribute("domain", "0x%04x".formatted(pci.domain()))
                .attribute("bus", "0x%02x".formatted(pci.bus()))
                .attribute("slot", "0x%02x".formatted(pci.slot()))
                .attribute("function", "0x%x".formatted(pci.function()))
                .attribute("multifunction", pci.multifunction().map(DomainXmlWriter::onOff));
    }
}
