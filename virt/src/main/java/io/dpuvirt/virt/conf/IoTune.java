package io.dpuvirt.virt.conf;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/** A disk's {@code <iotune>} limits; each one is a child element holding a number. */
public record IoTune(Map<IoTune.Limit, Long> limits) {
    /** The limits the model knows, in libvirt's order; others stay in the disk's extensions. */
    public enum Limit {
        TOTAL_BYTES_SEC, READ_BYTES_SEC, WRITE_BYTES_SEC, TOTAL_IOPS_SEC, READ_IOPS_SEC, WRITE_IOPS_SEC;

        public String elementName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public IoTune {
        limits = Map.copyOf(limits);
    }

    public static IoTune of(Limit limit, long value) {
        return new IoTune(new EnumMap<>(Map.of(limit, value)));
    }

    public Optional<Long> limit(Limit limit) {
        return Optional.ofNullable(limits.get(limit));
    }
}
