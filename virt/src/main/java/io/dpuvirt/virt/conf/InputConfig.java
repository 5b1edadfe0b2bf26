package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** An {@code <input>} device: {@code type} mouse, keyboard or tablet on {@code bus} ps2, usb or virtio. */
public record InputConfig(String type, Optional<String> bus, Optional<String> alias, Optional<DeviceAddress> address,
                          Extensions extensions) implements Device<InputConfig> {
    public InputConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public InputConfig withAddress(DeviceAddress newAddress) {
        return new InputConfig(type, bus, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "input";
    }

    @Override
    public boolean needsPciAddress() {
        return bus.filter("virtio"::equals).isPresent();
    }
}
