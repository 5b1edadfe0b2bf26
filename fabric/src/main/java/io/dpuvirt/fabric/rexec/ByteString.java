package io.dpuvirt.fabric.rexec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An immutable string of bytes: an argument, an environment entry or a path exactly as the kernel sees it, which
 * need not be valid UTF-8 (a Java String could not carry it unchanged).
 */
public final class ByteString {
    public static final ByteString EMPTY = new ByteString(new byte[0]);

    private final byte[] bytes;

    private ByteString(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ByteString of(String text) {
        return new ByteString(text.getBytes(StandardCharsets.UTF_8));
    }

    public static ByteString of(byte[] bytes) {
        return new ByteString(bytes.clone());
    }

    /** Reads {@code length} bytes from {@code buffer}'s position. */
    static ByteString read(ByteBuffer buffer, int length) {
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new ByteString(bytes);
    }

    public int length() {
        return bytes.length;
    }

    public byte byteAt(int index) {
        return bytes[index];
    }

    public int indexOf(byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }

    public boolean startsWith(ByteString prefix) {
        return bytes.length >= prefix.bytes.length && Arrays.equals(bytes, 0, prefix.bytes.length, prefix.bytes, 0, prefix.bytes.length);
    }

    public ByteString substring(int from, int to) {
        return new ByteString(Arrays.copyOfRange(bytes, from, to));
    }

    public ByteString concat(ByteString other) {
        byte[] joined = Arrays.copyOf(bytes, bytes.length + other.bytes.length);
        System.arraycopy(other.bytes, 0, joined, bytes.length, other.bytes.length);
        return new ByteString(joined);
    }

    public byte[] toByteArray() {
        return bytes.clone();
    }

    void writeTo(ByteBuffer buffer) {
        buffer.put(bytes);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ByteString that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The bytes as UTF-8, invalid sequences shown as U+FFFD: for messages and logs, never for exec. */
    @Override
    public String toString() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
