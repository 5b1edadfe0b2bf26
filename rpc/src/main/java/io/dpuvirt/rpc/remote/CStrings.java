package io.dpuvirt.rpc.remote;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * C strings that rpcgen carries as {@code char} arrays, one 4-byte unit per byte. libvirt puts the
 * terminating NUL on the wire and its client {@code strcpy}s what it receives, so we always send
 * one; on decoding, everything from the first NUL on is dropped.
 */
final class CStrings {
    private CStrings() {
    }

    /** {@code char x[length]}: the string, NUL-padded to exactly {@code length} bytes. */
    static void writeFixed(XdrEncoder out, String value, int length) {
        out.writeFixedChars(Arrays.copyOf(withNul(value, length), length), length);
    }

    static String readFixed(XdrDecoder in, int length) {
        return untilNul(in.readFixedChars(length));
    }

    /** {@code char x<max>}: the string and its NUL, at most {@code max} bytes in all. */
    static void writeVariable(XdrEncoder out, String value, int max) {
        out.writeChars(withNul(value, max), max);
    }

    static String readVariable(XdrDecoder in, int max) {
        return untilNul(in.readChars(max));
    }

    /** Checks that {@code value} and its NUL fit in {@code capacity} bytes; for record constructors. */
    static String requireFits(String value, int capacity, String field) {
        withNul(value, capacity, field);
        return value;
    }

    private static byte[] withNul(String value, int capacity) {
        return withNul(value, capacity, "C string");
    }

    private static byte[] withNul(String value, int capacity, String field) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 > capacity) {
            throw new XdrException(field + " of " + bytes.length + " bytes does not fit in " + capacity
                    + " bytes with its terminating NUL");
        }
        if (value.indexOf('\0') >= 0) {
            throw new XdrException(field + " contains a NUL character");
        }
        return Arrays.copyOf(bytes, bytes.length + 1);
    }

    private static String untilNul(byte[] chars) {
        int end = 0;
        while (end < chars.length && chars[end] != 0) {
            end++;
        }
        return new String(chars, 0, end, StandardCharsets.UTF_8);
    }
}
