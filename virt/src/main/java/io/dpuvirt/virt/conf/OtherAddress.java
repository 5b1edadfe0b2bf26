package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.XmlAttribute;

import java.util.List;
import java.util.Objects;

/**
 * A non-PCI address ({@code drive}, {@code virtio-serial}, {@code usb}, …), kept with its attributes as
 * written. The model never assigns or interprets these.
 */
public record OtherAddress(String type, List<XmlAttribute> attributes) implements DeviceAddress {
    public OtherAddress {
        Objects.requireNonNull(type, "type");
        attributes = List.copyOf(attributes);
    }
}
