package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** The {@code <memballoon>}; model {@code none} means no balloon at all. */
public record MemballoonConfig(String model, Optional<Boolean> autodeflate, Optional<String> alias,
                               Optional<DeviceAddress> address, Extensions extensions)
        implements Device<MemballoonConfig> {
    public MemballoonConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public MemballoonConfig withAddress(DeviceAddress newAddress) {
        return new MemballoonConfig(model, autodeflate, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "memballoon";
    }

    @Override
    public boolean needsPciAddress() {
        return !model.equals("none");
    }
}
