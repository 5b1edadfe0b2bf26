package io.dpuvirt.common.linux;

/**
 * open(2) flags, with this machine's values. Four have other values on aarch64 (as a DPU often is) than on x86-64:
 * O_DIRECTORY, O_NOFOLLOW, O_DIRECT and O_LARGEFILE; the others are the same on both. Flags that cross between the
 * two sides (rfs's opens, the descriptors udsproxyd passes) travel with x86-64's values: {@link #toWire} before
 * sending, {@link #fromWire} after receiving.
 */
public final class OpenFlags {
    /** O_DIRECTORY, O_NOFOLLOW, O_DIRECT, O_LARGEFILE on x86-64 (the wire) and on aarch64. */
    static final int[] X86_64 = {0200000, 0400000, 040000, 0100000};
    static final int[] AARCH64 = {040000, 0100000, 0200000, 0400000};
    private static final int[] NATIVE = "aarch64".equals(System.getProperty("os.arch")) ? AARCH64 : X86_64;

    public static final int O_RDONLY = 0, O_WRONLY = 01, O_RDWR = 02, O_ACCMODE = 03, O_CREAT = 0100, O_EXCL = 0200,
            O_NOCTTY = 0400, O_TRUNC = 01000, O_APPEND = 02000, O_NONBLOCK = 04000, O_DSYNC = 010000,
            O_NOATIME = 01000000, O_CLOEXEC = 02000000, O_PATH = 010000000;
    /** O_SYNC includes O_DSYNC's bit. */
    public static final int O_SYNC = 04000000 | O_DSYNC;
    public static final int O_DIRECTORY = NATIVE[0], O_NOFOLLOW = NATIVE[1], O_DIRECT = NATIVE[2];

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
