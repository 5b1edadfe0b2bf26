package io.dpuvirt.rpc.xdr;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Writes XDR (RFC 4506) into a growing byte array: big-endian 4-byte units, opaque data and strings
 * padded with zeros to a multiple of 4.
 *
 * <p>Java has no unsigned types: {@code unsigned int} and {@code unsigned hyper} travel as the bit
 * patterns of {@code int} and {@code long} (read them with {@link Integer#toUnsignedLong} and
 * {@link Long#toUnsignedString}).
 */
public final class XdrEncoder {
    private byte[] buffer;
    private int size;

    public XdrEncoder() {
        this(256);
    }

    public XdrEncoder(int initialCapacity) {
        buffer = new byte[Math.max(initialCapacity, 16)];
    }

    public XdrEncoder writeInt(int value) {
        ensure(4);
        buffer[size] = (byte) (value >>> 24);
        buffer[size + 1] = (byte) (value >>> 16);
        buffer[size + 2] = (byte) (value >>> 8);
        buffer[size + 3] = (byte) value;
        size += 4;
        return this;
    }

    /** {@code unsigned int}: the 32 bits of {@code bits}. */
    public XdrEncoder writeUnsignedInt(int bits) {
        return writeInt(bits);
    }

    public XdrEncoder writeHyper(long value) {
        writeInt((int) (value >>> 32));
        return writeInt((int) value);
    }

    /** {@code unsigned hyper}: the 64 bits of {@code bits}. */
    public XdrEncoder writeUnsignedHyper(long bits) {
        return writeHyper(bits);
    }

    public XdrEncoder writeBool(boolean value) {
        return writeInt(value ? 1 : 0);
    }

    /** rpcgen's {@code char}: one byte, sign-extended into a 4-byte unit. */
    public XdrEncoder writeChar(byte value) {
        return writeInt(value);
    }

    /** rpcgen's {@code unsigned char}: 0..255 in a 4-byte unit. */
    public XdrEncoder writeUnsignedChar(int value) {
        return writeInt(checkRange("unsigned char", value, 0, 0xFF));
    }

    /** rpcgen's {@code short}: a 4-byte unit. */
    public XdrEncoder writeShort(short value) {
        return writeInt(value);
    }

    /** rpcgen's {@code unsigned short}: 0..65535 in a 4-byte unit. */
    public XdrEncoder writeUnsignedShort(int value) {
        return writeInt(checkRange("unsigned short", value, 0, 0xFFFF));
    }

    /** {@code opaque x[length]}: exactly {@code length} bytes, no length word. */
    public XdrEncoder writeFixedOpaque(byte[] data, int length) {
        if (data.length != length) {
            throw new XdrException("fixed opaque needs " + length + " bytes, got " + data.length);
        }
        return writeBytesPadded(data);
    }

    /** {@code opaque x<max>}: a length word, then the bytes. */
    public XdrEncoder writeOpaque(byte[] data, int max) {
        checkLength("opaque", data.length, max);
        writeInt(data.length);
        return writeBytesPadded(data);
    }

    /** {@code string x<max>}: UTF-8 bytes with a length word; {@code max} counts bytes. */
    public XdrEncoder writeString(String value, int max) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        checkLength("string", bytes.length, max);
        writeInt(bytes.length);
        return writeBytesPadded(bytes);
    }

    /** rpcgen's {@code char x[count]}: each byte in its own 4-byte unit. */
    public XdrEncoder writeFixedChars(byte[] chars, int count) {
        if (chars.length != count) {
            throw new XdrException("char[" + count + "] needs " + count + " chars, got " + chars.length);
        }
        for (byte c : chars) {
            writeChar(c);
        }
        return this;
    }

    /** rpcgen's {@code char x<max>}: a count word, then each byte in its own 4-byte unit. */
    public XdrEncoder writeChars(byte[] chars, int max) {
        checkLength("char array", chars.length, max);
        writeInt(chars.length);
        for (byte c : chars) {
            writeChar(c);
        }
        return this;
    }

    /** {@code T *x}: a boolean "present" word, then the value if present. */
    public <T> XdrEncoder writeOptional(Optional<T> value, XdrWriter<? super T> writer) {
        writeBool(value.isPresent());
        value.ifPresent(v -> writer.write(this, v));
        return this;
    }

    /** {@code T x<max>}: a count word, then the elements. */
    public <T> XdrEncoder writeArray(List<T> items, int max, XdrWriter<? super T> writer) {
        checkLength("array", items.size(), max);
        writeInt(items.size());
        for (T item : items) {
            writer.write(this, item);
        }
        return this;
    }

    public int size() {
        return size;
    }

    public byte[] toByteArray() {
        return Arrays.copyOf(buffer, size);
    }

    private XdrEncoder writeBytesPadded(byte[] data) {
        int padded = XdrDecoder.padded(data.length);
        ensure(padded);
        System.arraycopy(data, 0, buffer, size, data.length);
        Arrays.fill(buffer, size + data.length, size + padded, (byte) 0);
        size += padded;
        return this;
    }

    private void ensure(int more) {
        long needed = (long) size + more;
        if (needed > Integer.MAX_VALUE - 8) {
            throw new XdrException("XDR buffer would exceed " + (Integer.MAX_VALUE - 8) + " bytes");
        }
        if (needed > buffer.length) {
            buffer = Arrays.copyOf(buffer, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(needed, 2L * buffer.length)));
        }
    }

    private static void checkLength(String what, int length, int max) {
        if (length > max) {
            throw new XdrException(what + " of " + length + " exceeds its limit of " + max);
        }
    }

    private static int checkRange(String what, int value, int min, int max) {
        if (value < min || value > max) {
            throw new XdrException(what + " out of range: " + value);
        }
        return value;
    }
}
