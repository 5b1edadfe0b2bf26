package io.dpuvirt.rfs.wire;

/**
 * open(2) flags between machines of different architectures: a DPU is often aarch64, its HOST x86-64 or aarch64.
 * Four flags have other values on aarch64 than on x86-64; the wire carries x86-64's, each side converts its own.
 * The others (access mode, O_CREAT, O_TRUNC, O_APPEND, O_NONBLOCK, O_SYNC, O_PATH, O_CLOEXEC…) are the same.
 */
public final class OpenFlags {
    /** O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE on x86-64 (the wire) and on aarch64. */
    static final int[] X86_64 = {0200000, 0400000, 040000, 0100000};
    static final int[] AARCH64 = {040000, 0100000, 0200000, 0400000};
    private static final int[] NATIVE = "aarch64".equals(System.getProperty("os.arch")) ? AARCH64 : X86_64;

    /** This machine's values. */
    public static final int O_DIRECTORY = NATIVE[0], O_NOFOLLOW = NATIVE[1], O_DIRECT = NATIVE[2];
    /** The same on both; O_SYNC includes this bit. */
    public static final int O_DSYNC = 0x1000;

    private OpenFlags() {
    }

    public static int toWire(int nativeFlags) {
        return convert(nativeFlags, NATIVE, X86_64);
    }

    public static int fromWire(int wireFlags) {
        return convert(wireFlags, X86_64, NATIVE);
    }

    static int convert(int flags, int[] from, int[] to) {
        int all = 0;
        for (int bit : from) {
            all |= bit;
        }
        int converted = flags & ~all;
        for (int i = 0; i < from.length; i++) {
            if ((flags & from[i]) != 0) {
                converted |= to[i];
            }
        }
        return converted;
    }
}
