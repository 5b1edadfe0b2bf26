package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.driver.DomainState;
import io.dpuvirt.virt.driver.DomainStatus;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * What a running domain's {@code NAME.state} file holds: its UUID, id and status, and the facts its
 * hypervisor needs to find the guest again. One {@code key=value} a line; facts are keyed {@code fact.NAME}.
 */
public record RunningState(UUID uuid, int id, DomainStatus status, Map<String, String> facts) {
    private static final String FACT = "fact.";

    public RunningState {
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(status, "status");
        facts = Map.copyOf(facts);
    }

    public String format() {
        Map<String, String> lines = new LinkedHashMap<>();
        lines.put("uuid", uuid.toString());
        lines.put("id", Integer.toString(id));
        lines.put("state", status.state().name().toLowerCase(java.util.Locale.ROOT));
        lines.put("reason", Integer.toString(status.reason()));
        facts.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(fact -> lines.put(FACT + fact.getKey(), fact.getValue()));
        return lines.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue() + "\n").collect(Collectors.joining());
    }

    /** @throws IllegalArgumentException naming the line or the key that is wrong */
    public static RunningState parse(String text) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> facts = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank()) {
                continue;
            }
            int equals = lines[i].indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("line " + (i + 1) + " is not key=value: " + lines[i]);
            }
            String key = lines[i].substring(0, equals);
            String value = lines[i].substring(equals + 1);
            if (key.startsWith(FACT)) {
                facts.put(key.substring(FACT.length()), value);
            } else {
                values.put(key, value);
            }
        }
        DomainState state = Arrays.stream(DomainState.values())
                .filter(s -> s.name().equalsIgnoreCase(required(values, "state")))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown state '" + values.get("state") + "'"));
        return new RunningState(UUID.fromString(required(values, "uuid")), Integer.parseInt(required(values, "id")),
                new DomainStatus(state, Integer.parseInt(required(values, "reason"))), facts);
    }

    private static String required(Map<String, String> values, String key) {
        String value = values.get(key);
        if (value == null) {
            throw new IllegalArgumentException("'" + key + "' is missing");
        }
        return value;
    }
}
