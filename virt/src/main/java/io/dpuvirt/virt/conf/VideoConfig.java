package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/** A {@code <video>} card; the model's other attributes (vram, heads…) stay in the extensions. */
public record VideoConfig(Optional<String> modelType, Optional<String> alias, Optional<DeviceAddress> address,
                          Extensions extensions) implements Device<VideoConfig> {
    public VideoConfig {
        Objects.requireNonNull(modelType, "modelType");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public VideoConfig withAddress(DeviceAddress newAddress) {
        return new VideoConfig(modelType, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "video";
    }

    @Override
    public boolean needsPciAddress() {
        return modelType.filter("none"::equals).isEmpty();
    }
}
