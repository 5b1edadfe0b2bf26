package io.dpuvirt.virt.conf;

import java.util.Optional;

/** Parsing of the unsigned integers found in domain XML. */
final class Numbers {
    private Numbers() {
    }

    /**
     * Parses a non-negative integer. With radix 0 the spelling picks the base as C's {@code strtoul}
     * does and libvirt with it: {@code 0x} hexadecimal, a leading {@code 0} octal, decimal otherwise.
     * Empty when the text is no such number or does not fit a {@code long}.
     */
    static Optional<Long> parseUnsigned(String text, int radix) {
        String digits = text;
        int base = radix;
        if (radix == 0) {
            if (text.startsWith("0x") || text.startsWith("0X")) {
                digits = text.substring(2);
                base = 16;
            } else if (text.length() > 1 && text.startsWith("0")) {
                digits = text.substring(1);
                base = 8;
            } else {
                base = 10;
            }
        }
        if (digits.isEmpty() || Character.digit(digits.charAt(0), base) < 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(Long.parseLong(digits, base));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
