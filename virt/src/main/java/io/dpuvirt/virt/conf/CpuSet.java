package io.dpuvirt.virt.conf;

import java.util.BitSet;
import java.util.Objects;

/**
 * A set of host CPUs in libvirt's syntax: comma-separated CPU numbers ({@code 8}), ranges
 * ({@code 0-3}) and exclusions ({@code ^2}), applied left to right; {@code 0-3,^2,8} is {0, 1, 3, 8}.
 * Keeps the spelling it was given, so that it is written back the same.
 */
public record CpuSet(String spec) {
    /** libvirt's own bound on CPU numbers in a cpuset. */
    public static final int MAX_CPU = 16383;

    public CpuSet {
        Objects.requireNonNull(spec, "spec");
        parse(spec);
    }

    /** The CPUs selected. */
    public BitSet cpus() {
        return parse(spec);
    }

    public boolean isEmpty() {
        return cpus().isEmpty();
    }

    private static BitSet parse(String spec) {
        BitSet cpus = new BitSet();
        if (spec.isBlank()) {
            throw new IllegalArgumentException("invalid cpuset '" + spec + "': it is empty");
        }
        for (String rawTerm : spec.split(",", -1)) {
            String term = rawTerm.strip();
            boolean exclude = term.startsWith("^");
            String body = exclude ? term.substring(1) : term;
            int dash = body.indexOf('-');
            if (exclude && dash >= 0) {
                throw invalid(spec, "'" + term + "' excludes a range; only single CPUs can be excluded");
            }
            int first = cpu(spec, dash < 0 ? body : body.substring(0, dash));
            int last = dash < 0 ? first : cpu(spec, body.substring(dash + 1));
            if (last < first) {
                throw invalid(spec, "range '" + term + "' ends before it starts");
            }
            if (exclude) {
                cpus.clear(first);
            } else {
                cpus.set(first, last + 1);
            }
        }
        return cpus;
    }

    private static int cpu(String spec, String number) {
        long cpu = Numbers.parseUnsigned(number.strip(), 10)
                .orElseThrow(() -> invalid(spec, "'" + number + "' is not a CPU number"));
        if (cpu > MAX_CPU) {
            throw invalid(spec, "CPU " + cpu + " is above " + MAX_CPU);
        }
        return (int) cpu;
    }

    private static IllegalArgumentException invalid(String spec, String why) {
        return new IllegalArgumentException("invalid cpuset '" + spec + "': " + why);
    }

    @Override
    public String toString() {
        return spec;
    }
}
