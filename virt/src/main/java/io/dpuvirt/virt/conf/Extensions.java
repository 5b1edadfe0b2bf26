package io.dpuvirt.virt.conf;

import java.util.Map;

/**
 * Everything unknown inside the elements a record was read from, so that writing the record back loses
 * nothing. Keyed by the element's path relative to the record's own element: {@code ""} for that element,
 * {@code "target"} or {@code "source/address"} for the parts folded into the record, {@code "vcpupin[2]"}
 * for one of several same-named parts.
 */
public record Extensions(Map<String, Unknowns> byPart) {
    public static final Extensions NONE = new Extensions(Map.of());

    public Extensions {
        byPart = Map.copyOf(byPart);
        if (byPart.values().stream().anyMatch(Unknowns::isEmpty)) {
            // kept out so that "nothing unknown" has a single representation and records compare equal
            throw new IllegalArgumentException("empty unknowns must not be stored");
        }
    }

    public Unknowns at(String part) {
        return byPart.getOrDefault(part, Unknowns.NONE);
    }

    public boolean isEmpty() {
        return byPart.isEmpty();
    }
}
