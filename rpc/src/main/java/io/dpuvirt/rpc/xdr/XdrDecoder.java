package io.dpuvirt.rpc.xdr;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * Reads XDR from a byte array, defensively: every length is checked against its protocol maximum and
 * against the bytes that remain before anything is allocated, so a hostile peer cannot make it
 * allocate more than it sent. Failures are {@link XdrException}s that say what was being read.
 *
 * <p>Unsigned types come back as bit patterns, as {@link XdrEncoder} explains. Padding bytes are
 * skipped without being checked, as glibc's XDR does.
 */
public final class XdrDecoder {
    /** Every XDR item takes at least one 4-byte unit: the bound used to sanity-check array counts. */
    private static final int SMALLEST_ITEM = 4;

    private final byte[] data;
    private final int end;
    private int position;

    public XdrDecoder(byte[] data) {
        this(data, 0, data.length);
    }

    public XdrDecoder(byte[] data, int offset, int length) {
        if (offset < 0 || length < 0 || offset > data.length - length) {
            throw new IllegalArgumentException("bad slice " + offset + "+" + length + " of " + data.length);
        }
        this.data = data;
        this.position = offset;
        this.end = offset + length;
    }

    /** Reads the remaining bytes of {@code buffer} (advancing it to its limit). */
    public static XdrDecoder of(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return new XdrDecoder(bytes);
    }

    public int readInt() {
        require(4, "int");
        int value = (data[position] & 0xFF) << 24 | (data[position + 1] & 0xFF) << 16
                | (data[position + 2] & 0xFF) << 8 | data[position + 3] & 0xFF;
        position += 4;
        return value;
    }

    public int readUnsignedInt() {
        return readInt();
    }

    public long readHyper() {
        require(8, "hyper");
        long high = readInt();
        long low = readInt() & 0xFFFF_FFFFL;
        return high << 32 | low;
    }

    public long readUnsignedHyper() {
        return readHyper();
    }

    /** A boolean must be 0 or 1; anything else means the stream is not what we think it is. */
    public boolean readBool() {
        int value = readInt();
        return switch (value) {
            case 0 -> false;
            case 1 -> true;
            default -> throw new XdrException("boolean must be 0 or 1, got " + value);
        };
    }

    public byte readChar() {
        return (byte) readRanged("char", Byte.MIN_VALUE, Byte.MAX_VALUE);
    }

    public int readUnsignedChar() {
        return readRanged("unsigned char", 0, 0xFF);
    }

    public short readShort() {
        return (short) readRanged("short", Short.MIN_VALUE, Short.MAX_VALUE);
    }

    public int readUnsignedShort() {
        return readRanged("unsigned short", 0, 0xFFFF);
    }

    public byte[] readFixedOpaque(int length) {
        require(padded(length), "opaque[" + length + "]");
        return takePadded(length);
    }

    public byte[] readOpaque(int max) {
        int length = readLength("opaque", max, 1);
        require(padded(length), "opaque of " + length + " bytes");
        return takePadded(length);
    }

    /** Strings must be valid UTF-8: libvirt sends C strings, which we always treat as UTF-8. */
    public String readString(int max) {
        int length = readLength("string", max, 1);
        require(padded(length), "string of " + length + " bytes");
        int start = position;
        position += padded(length);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data, start, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new XdrException("string at offset " + start + " is not valid UTF-8");
        }
    }

    public byte[] readFixedChars(int count) {
        require((long) count * 4, "char[" + count + "]");
        byte[] chars = new byte[count];
        for (int i = 0; i < count; i++) {
            chars[i] = readChar();
        }
        return chars;
    }

    public byte[] readChars(int max) {
        int count = readLength("char array", max, 4);
        byte[] chars = new byte[count];
        for (int i = 0; i < count; i++) {
            chars[i] = readChar();
        }
        return chars;
    }

    public <T> Optional<T> readOptional(XdrReader<? extends T> reader) {
        return readBool() ? Optional.of(reader.read(this)) : Optional.empty();
    }

    public <T> List<T> readArray(int max, XdrReader<? extends T> reader) {
        int count = readLength("array", max, SMALLEST_ITEM);
        List<T> items = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            items.add(reader.read(this));
        }
        return Collections.unmodifiableList(items);
    }

    public int remaining() {
        return end - position;
    }

    /** Fails unless everything was consumed: trailing bytes mean the peer and we disagree on the layout. */
    public void expectEnd() {
        if (position != end) {
            throw new XdrException(remaining() + " unexpected trailing bytes");
        }
    }

    static int padded(int length) {
        return (length + 3) & ~3;
    }

    /** A length word, checked against its maximum and against what the remaining bytes can hold. */
    private int readLength(String what, int max, int bytesPerItem) {
        int length = readInt();
        if (length < 0 || length > max) {
            throw new XdrException(what + " length " + Integer.toUnsignedString(length)
                    + " exceeds its limit of " + max);
        }
        if ((long) length * bytesPerItem > remaining()) {
            throw new XdrException(what + " length " + length + " exceeds the " + remaining() + " bytes left");
        }
        return length;
    }

    private int readRanged(String what, int min, int max) {
        int value = readInt();
        if (value < min || value > max) {
            throw new XdrException(what + " out of range: " + value);
        }
        return value;
    }

    private byte[] takePadded(int length) {
        byte[] bytes = Arrays.copyOfRange(data, position, position + length);
        position += padded(length);
        return bytes;
    }

    private void require(long bytes, String what) {
        if (bytes > remaining()) {
            throw new XdrException("truncated " + what + ": needs " + bytes + " bytes, " + remaining() + " left");
        }
    }
}
