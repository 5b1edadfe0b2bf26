package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/** A {@code <controller>}: a PCI root or root port, a virtio-serial bus for consoles, a USB controller… */
public record ControllerConfig(Type type, Optional<Integer> index, Optional<String> model, Optional<String> alias,
                               Optional<DeviceAddress> address, Extensions extensions)
        implements Device<ControllerConfig> {
    public enum Type implements XmlEnum { IDE, FDC, SCSI, SATA, VIRTIO_SERIAL, CCID, USB, PCI, XENBUS, ISA }

    /** PCI controllers that are the root of the hierarchy rather than devices on it. */
    private static final Set<String> ROOT_MODELS = Set.of("pci-root", "pcie-root");

    /** Controllers built into the chipset or not on PCI at all. */
    private static final Set<Type> OFF_PCI = Set.of(Type.IDE, Type.FDC, Type.XENBUS, Type.ISA);

    public ControllerConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public ControllerConfig withAddress(DeviceAddress newAddress) {
        return new ControllerConfig(type, index, model, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "controller";
    }

    @Override
    public boolean needsPciAddress() {
        boolean pciRoot = type == Type.PCI && model.filter(ROOT_MODELS::contains).isPresent();
        boolean usbNone = type == Type.USB && model.filter("none"::equals).isPresent();
        return !pciRoot && !usbNone && !OFF_PCI.contains(type);
    }
}
