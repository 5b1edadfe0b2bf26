package io.dpuvirt.cli.virsh;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** A command's words read against its {@link OptionSpec}s, with virsh's messages for what does not fit. */
final class Options {
    private final Set<String> flags;
    private final Map<String, String> values;

    private Options(Set<String> flags, Map<String, String> values) {
        this.flags = flags;
        this.values = values;
    }

    static Options parse(String command, List<OptionSpec> specs, List<String> words) throws VirshException {
        Set<String> flags = new HashSet<>();
        Map<String, String> values = new HashMap<>();
        boolean optionsEnded = false;
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i);
            if (!optionsEnded && word.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && word.startsWith("--")) {
                String name = word.substring(2);
                String inline = null;
                int equals = name.indexOf('=');
                if (equals >= 0) {
                    inline = name.substring(equals + 1);
                    name = name.substring(0, equals);
                }
                String option = name;
                OptionSpec spec = find(specs, name)
                        .orElseThrow(() -> new VirshException("command '" + command + "' doesn't support option --" + option));
                if (flags.contains(name) || values.containsKey(name)) {
                    throw new VirshException("option --" + name + " already seen");
                }
                if (spec.kind() == OptionSpec.Kind.FLAG) {
                    if (inline != null) {
                        throw new VirshException("invalid '=' after option --" + name);
                    }
                    flags.add(name);
                } else if (inline != null) {
                    values.put(name, inline);
                } else if (i + 1 < words.size()) {
                    values.put(name, words.get(++i));
                } else {
                    throw new VirshException("expected syntax: --" + name + " <string>");
                }
            } else {
                String positional = specs.stream()
                        .filter(s -> s.kind() == OptionSpec.Kind.POSITIONAL && !values.containsKey(s.name()))
                        .map(OptionSpec::name).findFirst()
                        .orElseThrow(() -> new VirshException("unexpected data '" + word + "'"));
                values.put(positional, word);
            }
        }
        for (OptionSpec spec : specs) {
            if (spec.required() && !values.containsKey(spec.name())) {
                throw new VirshException("command '" + command + "' requires <" + spec.name() + "> option");
            }
            if (spec.required() && values.get(spec.name()).isEmpty()) {
                throw new VirshException("Failed to get option '" + spec.name() + "': Option argument is empty");
            }
        }
        return new Options(flags, values);
    }

    boolean flag(String name) {
        return flags.contains(name);
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(values.get(name));
    }

    /** A required option: parsing made sure it is there. */
    String required(String name) {
        return values.get(name);
    }

    private static Optional<OptionSpec> find(List<OptionSpec> specs, String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
