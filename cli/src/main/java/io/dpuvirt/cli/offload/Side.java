package io.dpuvirt.cli.offload;

import java.util.Locale;

/** The two machines of an offload: the HOST runs the workloads, the DPU the management plane. */
public enum Side {
    HOST, DPU;

    /** {@code host} or {@code dpu}, as options and file names spell it. */
    public String word() {
        return name().toLowerCase(Locale.ROOT);
    }

    public Side other() {
        return this == HOST ? DPU : HOST;
    }

    /** The side named {@code word} (host or dpu, any case). */
    public static Side of(String word) {
        for (Side side : values()) {
            if (side.word().equals(word.toLowerCase(Locale.ROOT))) {
                return side;
            }
        }
        throw new IllegalArgumentException("no side '" + word + "' (host or dpu)");
    }
}
