package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * An {@code <rng>} (virtio-rng) fed by a host random device ({@code <backend model='random'>}): the
 * guest may draw at most {@code rate.bytes} every {@code rate.period} milliseconds.
 */
public record RngConfig(String model, Optional<Rate> rate, Optional<String> backendPath, Optional<String> alias,
                        Optional<DeviceAddress> address, Extensions extensions) implements Device<RngConfig> {
    public record Rate(long bytes, Optional<Long> periodMillis) {
        public Rate {
            Objects.requireNonNull(periodMillis, "periodMillis");
        }
    }

    public RngConfig {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public RngConfig withAddress(DeviceAddress newAddress) {
        return new RngConfig(model, rate, backendPath, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "rng";
    }

    @Override
    public boolean needsPciAddress() {
        return true;
    }
}
