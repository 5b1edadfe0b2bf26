package io.dpuvirt.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A small command-line reader: options ({@code --name value}, {@code --name=value}, {@code -x value}, flags)
 * interleaved with positional arguments, and {@code --} ending options. Kept tiny on purpose: an argument
 * parsing library would cost the short-lived tools more start-up time than all their work.
 */
public final class Arguments {
    private final List<String> remaining;

    public Arguments(String[] args) {
        this.remaining = new ArrayList<>(List.of(args));
    }

    /** Removes {@code name} (a flag without value) and reports whether it was there. */
    public boolean flag(String... names) {
        for (String name : names) {
            int index = indexOfOption(name);
            if (index >= 0) {
                remaining.remove(index);
                return true;
            }
        }
        return false;
    }

    /** Removes {@code name VALUE} or {@code name=VALUE} and returns VALUE, or null when absent. */
    public String option(String... names) throws UsageException {
        for (String name : names) {
            int end = endOfOptions();
            for (int i = 0; i < end; i++) {
                String argument = remaining.get(i);
                if (argument.equals(name)) {
                    if (i + 1 >= remaining.size()) {
                        throw new UsageException("option " + name + " needs a value");
                    }
                    remaining.remove(i);
                    return remaining.remove(i);
                }
                if (name.startsWith("--") && argument.startsWith(name + "=")) {
                    remaining.remove(i);
                    return argument.substring(name.length() + 1);
                }
            }
        }
        return null;
    }

    /** All values of a repeatable option. */
    public List<String> options(String name) throws UsageException {
        List<String> values = new ArrayList<>();
        String value;
        while ((value = option(name)) != null) {
            values.add(value);
        }
        return values;
    }

    /** What is left after options were taken; an unknown option is an error. */
    public List<String> positionals() throws UsageException {
        List<String> positionals = new ArrayList<>();
        boolean optionsEnded = false;
        for (String argument : remaining) {
            if (!optionsEnded && argument.equals("--")) {
                optionsEnded = true;
            } else if (!optionsEnded && argument.startsWith("-") && argument.length() > 1 && !isNumber(argument)) {
                throw new UsageException("unknown option " + argument);
            } else {
                positionals.add(argument);
            }
        }
        return positionals;
    }

    private int indexOfOption(String name) {
        int end = endOfOptions();
        for (int i = 0; i < end; i++) {
            if (remaining.get(i).equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private int endOfOptions() {
        int index = remaining.indexOf("--");
        return index < 0 ? remaining.size() : index;
    }

    private static boolean isNumber(String argument) {
        return argument.matches("-\\d+");
    }
}
