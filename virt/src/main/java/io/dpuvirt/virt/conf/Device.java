package io.dpuvirt.virt.conf;

import java.util.Optional;

/** A device that has a bus address. {@code T} is the record itself, so that a copy keeps its type. */
public sealed interface Device<T extends Device<T>>
        permits DiskConfig, ControllerConfig, InterfaceConfig, HostdevConfig, CharDeviceConfig, InputConfig,
        VideoConfig, MemballoonConfig, RngConfig, VsockConfig {
    Optional<DeviceAddress> address();

    T withAddress(DeviceAddress address);

    /** The device's element name, for messages. */
    String elementName();

    /** Whether the device lives on PCI, and so needs a PCI address when it has none. */
    boolean needsPciAddress();

    default Optional<PciAddress> pciAddress() {
        return address().filter(PciAddress.class::isInstance).map(PciAddress.class::cast);
    }
}
