package io.dpuvirt.cli.virsh;

/**
 * One option of a command, as virsh declares it: a flag, a value given as {@code --name value}, or a
 * value that may also be given by position ({@code <domain>}, {@code <file>}), perhaps required.
 */
record OptionSpec(String name, Kind kind, boolean required) {
    enum Kind { FLAG, VALUE, POSITIONAL }

    static OptionSpec flag(String name) {
        return new OptionSpec(name, Kind.FLAG, false);
    }

    static OptionSpec value(String name) {
        return new OptionSpec(name, Kind.VALUE, false);
    }

    static OptionSpec positional(String name) {
        return new OptionSpec(name, Kind.POSITIONAL, false);
    }

    static OptionSpec required(String name) {
        return new OptionSpec(name, Kind.POSITIONAL, true);
    }
}
