package io.dpuvirt.virt.conf;

import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/** An Ethernet MAC address, kept in lower case as libvirt writes it: {@code 52:54:00:12:34:56}. */
public record MacAddress(String value) {
    private static final Pattern FORMAT = Pattern.compile("[0-9a-f]{2}(:[0-9a-f]{2}){5}");

    public MacAddress {
        Objects.requireNonNull(value, "value");
        if (!FORMAT.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid MAC address '" + value
                    + "' (expected six hexadecimal bytes separated by ':')");
        }
    }

    /** Accepts upper or lower case. */
    public static MacAddress parse(String text) {
        return new MacAddress(text.toLowerCase(java.util.Locale.ROOT));
    }

    public static MacAddress of(byte[] bytes) {
        if (bytes.length != 6) {
            throw new IllegalArgumentException("a MAC address has 6 bytes, not " + bytes.length);
        }
        return new MacAddress(HexFormat.ofDelimiter(":").formatHex(bytes));
    }

    /** The group bit of the first byte: such an address cannot belong to one network card. */
    public boolean isMulticast() {
        return (HexFormat.fromHexDigits(value, 0, 2) & 1) != 0;
    }

    @Override
    public String toString() {
        return value;
    }
}
