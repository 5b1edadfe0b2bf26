package io.dpuvirt.virt.conf;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * libvirt's memory units, read case-insensitively as libvirt does: {@code b}/{@code bytes}; {@code KB},
 * {@code MB}, {@code GB}, {@code TB}, {@code PB}, {@code EB} are powers of 1000; {@code k}/{@code KiB},
 * {@code M}/{@code MiB}, {@code G}/{@code GiB}, {@code T}/{@code TiB}, {@code P}/{@code PiB},
 * {@code E}/{@code EiB} powers of 1024. Sizes are kept in KiB, rounded up as libvirt rounds them.
 */
final class MemoryUnits {
    static final String KIB = "KiB";
    private static final String PREFIXES = "kmgtpe";
    private static final BigInteger KIB_BYTES = BigInteger.valueOf(1024);
    private static final BigInteger MAX_KIB = BigInteger.valueOf(Long.MAX_VALUE);

    private MemoryUnits() {
    }

    /** Bytes in one {@code unit}, empty for an unknown unit. */
    static Optional<BigInteger> bytesPer(String unit) {
        String u = unit.toLowerCase(Locale.ROOT);
        if (u.equals("b") || u.equals("bytes")) {
            return Optional.of(BigInteger.ONE);
        }
        int power = u.isEmpty() ? -1 : PREFIXES.indexOf(u.charAt(0)) + 1;
        if (power <= 0) {
            return Optional.empty();
        }
        return switch (u.substring(1)) {
            case "", "ib" -> Optional.of(BigInteger.valueOf(1024).pow(power));
            case "b" -> Optional.of(BigInteger.valueOf(1000).pow(power));
            default -> Optional.empty();
        };
    }

    /**
     * {@code value} in {@code unit} as KiB, rounded up; empty when it does not fit a {@code long}.
     *
     * @throws IllegalArgumentException for an unknown unit
     */
    static Optional<Long> toKiB(long value, String unit) {
        BigInteger bytes = bytesPer(unit)
                .orElseThrow(() -> new IllegalArgumentException("unknown unit '" + unit
                        + "' (expected b, bytes, KB, k, KiB, MB, M, MiB, GB, G, GiB, TB, T, TiB, PB, P, PiB, EB, E or EiB)"))
                .multiply(BigInteger.valueOf(value));
        BigInteger[] kib = bytes.divideAndRemainder(KIB_BYTES);
        BigInteger rounded = kib[1].signum() == 0 ? kib[0] : kib[0].add(BigInteger.ONE);
        return rounded.compareTo(MAX_KIB) > 0 ? Optional.empty() : Optional.of(rounded.longValueExact());
    }
}
