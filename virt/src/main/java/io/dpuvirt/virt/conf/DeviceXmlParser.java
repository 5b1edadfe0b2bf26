package io.dpuvirt.virt.conf;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** Reads {@code <devices>} for {@link DomainXmlParser}. */
final class DeviceXmlParser {
    private DeviceXmlParser() {
    }

    static Devices readDevices(ElementReader r) {
        return new Devices(
                r.partText("emulator").map(String::strip),
                r.children("disk").stream().map(DeviceXmlParser::readDisk).toList(),
                r.children("controller").stream().map(DeviceXmlParser::readController).toList(),
                r.children("interface").stream().map(DeviceXmlParser::readInterface).toList(),
                r.children("serial").stream().map(s -> readCharDevice(s, CharDeviceConfig.Kind.SERIAL)).toList(),
                r.children("console").stream().map(c -> readCharDevice(c, CharDeviceConfig.Kind.CONSOLE)).toList(),
                r.children("input").stream().map(DeviceXmlParser::readInput).toList(),
                r.children("graphics").stream().map(DeviceXmlParser::readGraphics).toList(),
                r.children("video").stream().map(DeviceXmlParser::readVideo).toList(),
                r.children("hostdev").stream().map(DeviceXmlParser::readHostdev).toList(),
                r.child("memballoon").map(DeviceXmlParser::readMemballoon),
                r.children("rng").stream().map(DeviceXmlParser::readRng).toList(),
                r.child("vsock").map(DeviceXmlParser::readVsock),
                r.extensions());
    }

    private static DiskConfig readDisk(ElementReader r) {
        DiskConfig.Type type = r.requiredEnumAttribute("type", DiskConfig.Type.class);
        DiskConfig.DiskDevice device = r.enumAttribute("device", DiskConfig.DiskDevice.class)
                .orElse(DiskConfig.DiskDevice.DISK);
        Optional<DiskDriver> driver = r.part("driver").map(d -> new DiskDriver(d.attribute("name"),
                d.attribute("type"), d.attribute("cache"), d.attribute("io"), d.intAttribute("iothread")));
        String sourceAttribute = type == DiskConfig.Type.FILE ? "file" : "dev";
        Optional<String> source = r.part("source").map(s -> s.requiredAttribute(sourceAttribute));
        ElementReader target = r.requiredPart("target");
        String targetDev = target.requiredAttribute("dev");
        Optional<String> targetBus = target.attribute("bus");
        boolean readonly = r.flag("readonly");
        Optional<String> serial = r.partText("serial");
        Optional<IoTune> iotune = r.part("iotune").map(DeviceXmlParser::readIoTune);
        return new DiskConfig(type, device, driver, source, targetDev, targetBus, readonly, serial, iotune,
                bootOrder(r), alias(r), address(r), r.extensions());
    }

    private static IoTune readIoTune(ElementReader r) {
        Map<IoTune.Limit, Long> limits = new EnumMap<>(IoTune.Limit.class);
        for (IoTune.Limit limit : IoTune.Limit.values()) {
            r.part(limit.elementName()).ifPresent(l -> limits.put(limit, l.longText()));
        }
        return new IoTune(limits);
    }

    private static ControllerConfig readController(ElementReader r) {
        return new ControllerConfig(r.requiredEnumAttribute("type", ControllerConfig.Type.class),
                r.intAttribute("index"), r.attribute("model"), alias(r), address(r), r.extensions());
    }

    private static InterfaceConfig readInterface(ElementReader r) {
        InterfaceConfig.Type type = r.requiredEnumAttribute("type", InterfaceConfig.Type.class);
        InterfaceConfig.Source source = switch (type) {
            case BRIDGE -> new InterfaceConfig.Bridge(r.requiredPart("source").requiredAttribute("bridge"));
            case NETWORK -> new InterfaceConfig.Network(r.requiredPart("source").requiredAttribute("network"));
            case VHOSTUSER -> readVhostUserSource(r.requiredPart("source"));
            case ETHERNET -> new InterfaceConfig.Ethernet();
        };
        Optional<MacAddress> mac = r.part("mac").map(DeviceXmlParser::readMac);
        Optional<String> targetDev = r.part("target").map(t -> t.requiredAttribute("dev"));
        Optional<String> model = r.part("model").map(m -> m.requiredAttribute("type"));
        Optional<ElementReader> driver = r.part("driver");
        Optional<String> driverName = driver.flatMap(d -> d.attribute("name"));
        Optional<Integer> queues = driver.flatMap(d -> d.intAttribute("queues"));
        return new InterfaceConfig(source, mac, targetDev, model, driverName, queues, bootOrder(r), alias(r),
                address(r), r.extensions());
    }

    private static InterfaceConfig.VhostUser readVhostUserSource(ElementReader source) {
        String socketType = source.requiredAttribute("type");
        if (!socketType.equals("unix")) {
            throw source.error("type", "unsupported value '" + socketType + "' (expected unix)");
        }
        return new InterfaceConfig.VhostUser(source.requiredAttribute("path"),
                source.requiredEnumAttribute("mode", InterfaceConfig.VhostUserMode.class));
    }

    private static MacAddress readMac(ElementReader r) {
        String text = r.requiredAttribute("address");
        try {
            return MacAddress.parse(text);
        } catch (IllegalArgumentException e) {
            throw r.error("address", e.getMessage());
        }
    }

    private static HostdevConfig readHostdev(ElementReader r) {
        String mode = r.attribute("mode").orElse("subsystem");
        if (!mode.equals("subsystem")) {
            throw r.error("mode", "unsupported value '" + mode + "' (expected subsystem)");
        }
        String type = r.requiredAttribute("type");
        if (!type.equals("pci")) {
            throw r.error("type", "unsupported value '" + type + "' (expected pci)");
        }
        Optional<Boolean> managed = r.yesNoAttribute("managed");
        PciAddress source = readPci(r.requiredPart("source").requiredPart("address"));
        return new HostdevConfig(source, managed, bootOrder(r), alias(r), address(r), r.extensions());
    }

    private static CharDeviceConfig readCharDevice(ElementReader r, CharDeviceConfig.Kind kind) {
        CharDeviceConfig.Type type = r.requiredEnumAttribute("type", CharDeviceConfig.Type.class);
        CharDeviceConfig.Source source = switch (type) {
            case PTY -> new CharDeviceConfig.Pty();
            case FILE -> new CharDeviceConfig.File(r.requiredPart("source").requiredAttribute("path"));
            case UNIX -> {
                ElementReader s = r.requiredPart("source");
                yield new CharDeviceConfig.Unix(s.requiredAttribute("path"),
                        s.enumAttribute("mode", CharDeviceConfig.SocketMode.class));
            }
        };
        Optional<ElementReader> target = r.part("target");
        return new CharDeviceConfig(kind, source, target.flatMap(t -> t.attribute("type")),
                target.flatMap(t -> t.intAttribute("port")), alias(r), address(r), r.extensions());
    }

    private static InputConfig readInput(ElementReader r) {
        return new InputConfig(r.requiredAttribute("type"), r.attribute("bus"), alias(r), address(r),
                r.extensions());
    }

    private static GraphicsConfig readGraphics(ElementReader r) {
        return new GraphicsConfig(r.requiredAttribute("type"), r.signedIntAttribute("port"),
                r.yesNoAttribute("autoport"), r.attribute("listen"), r.extensions());
    }

    private static VideoConfig readVideo(ElementReader r) {
        return new VideoConfig(r.part("model").flatMap(m -> m.attribute("type")), alias(r), address(r),
                r.extensions());
    }

    /**
     * libvirt reads {@code autodeflate} on {@code <memballoon>}; openEuler's StratoVirt guide writes it on
     * {@code <alias>}. Both are read; it is written where libvirt puts it.
     */
    private static MemballoonConfig readMemballoon(ElementReader r) {
        String model = r.requiredAttribute("model");
        Optional<Boolean> autodeflate = r.onOffAttribute("autodeflate");
        Optional<ElementReader> aliasPart = r.part("alias");
        Optional<String> alias = aliasPart.map(a -> a.requiredAttribute("name"));
        Optional<Boolean> onAlias = aliasPart.flatMap(a -> a.onOffAttribute("autodeflate"));
        if (autodeflate.isPresent() && onAlias.isPresent() && !autodeflate.equals(onAlias)) {
            throw aliasPart.orElseThrow().error("autodeflate", "contradicts autodeflate on 'memballoon'");
        }
        return new MemballoonConfig(model, autodeflate.or(() -> onAlias), alias, address(r), r.extensions());
    }

    private static RngConfig readRng(ElementReader r) {
        String model = r.requiredAttribute("model");
        Optional<RngConfig.Rate> rate = r.part("rate").map(rt -> new RngConfig.Rate(
                rt.longAttribute("bytes").orElseThrow(() -> rt.error("bytes", "required attribute is missing")),
                rt.longAttribute("period")));
        ElementReader backend = r.requiredPart("backend");
        String backendModel = backend.requiredAttribute("model");
        if (!backendModel.equals("random")) {
            throw backend.error("model", "unsupported value '" + backendModel + "' (expected random)");
        }
        Optional<String> path = backend.text().map(String::strip).filter(p -> !p.isEmpty());
        return new RngConfig(model, rate, path, alias(r), address(r), r.extensions());
    }

    private static VsockConfig readVsock(ElementReader r) {
        Optional<String> model = r.attribute("model");
        Optional<ElementReader> cid = r.part("cid");
        return new VsockConfig(model, cid.flatMap(c -> c.yesNoAttribute("auto")),
                cid.flatMap(c -> c.longAttribute("address")), alias(r), address(r), r.extensions());
    }

    private static Optional<Integer> bootOrder(ElementReader r) {
        return r.part("boot").map(b -> DomainXmlParser.requiredInt(b, "order"));
    }

    private static Optional<String> alias(ElementReader r) {
        return r.part("alias").map(a -> a.requiredAttribute("name"));
    }

    private static Optional<DeviceAddress> address(ElementReader r) {
        return r.part("address").map(a -> {
            String type = a.requiredAttribute("type");
            return type.equals("pci") ? readPci(a) : new OtherAddress(type, a.remainingAttributes());
        });
    }

    /** Absent numbers are 0, as in libvirt. */
    private static PciAddress readPci(ElementReader r) {
        return new PciAddress(r.addressAttribute("domain").orElse(0), r.addressAttribute("bus").orElse(0),
                r.addressAttribute("slot").orElse(0), r.addressAttribute("function").orElse(0),
                r.onOffAttribute("multifunction"));
    }
}
