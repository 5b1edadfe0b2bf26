package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Objects;

/**
 * An event the monitor sent on its own: {@code SHUTDOWN}, {@code STOP}, {@code RESUME}, {@code RESET},
 * {@code POWERDOWN}, {@code GUEST_PANICKED}…, with its data (an empty object when it has none).
 */
public record QmpEvent(String name, JsonNode data) {
    public QmpEvent {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(data, "data");
    }

    /** A boolean member of the data, false when missing. */
    public boolean flag(String member) {
        return data.path(member).asBoolean(false);
    }

    /** A text member of the data, empty when missing. */
    public String text(String member) {
        return data.path(member).asText("");
    }
}
