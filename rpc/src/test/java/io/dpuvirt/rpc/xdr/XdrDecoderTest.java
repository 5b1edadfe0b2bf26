package io.dpuvirt.rpc.xdr;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Decoding refuses bad input with a message that says what was wrong, before allocating for it. */
class XdrDecoderTest {

    private static XdrDecoder hex(String hex) {
        return new XdrDecoder(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    @Test
    void truncatedInt() {
        assertThatThrownBy(() -> hex("0000 01").readInt())
                .isInstanceOf(XdrException.class).hasMessage("truncated int: needs 4 bytes, 3 left");
    }

    @Test
    void truncatedHyper() {
        assertThatThrownBy(() -> hex("00000000 0000").readHyper())
                .isInstanceOf(XdrException.class).hasMessage("truncated hyper: needs 8 bytes, 6 left");
    }

    @Test
    void stringLongerThanTheBytesLeft() {
        assertThatThrownBy(() -> hex("00000010 41424344").readString(100))
                .isInstanceOf(XdrException.class).hasMessage("string length 16 exceeds the 4 bytes left");
    }

    @Test
    void stringOverItsLimitIsRefusedBeforeReadingIt() {
        assertThatThrownBy(() -> hex("00400001").readString(4 * 1024 * 1024))
                .isInstanceOf(XdrException.class).hasMessage("string length 4194305 exceeds its limit of 4194304");
    }

    @Test
    void hugeLengthIsNotNegative() {
        assertThatThrownBy(() -> hex("ffffffff").readOpaque(1024))
                .isInstanceOf(XdrException.class).hasMessage("opaque length 4294967295 exceeds its limit of 1024");
    }

    @Test
    void paddingMustBePresent() {
        assertThatThrownBy(() -> hex("00000003 414243").readString(10))
                .isInstanceOf(XdrException.class).hasMessage("truncated string of 3 bytes: needs 4 bytes, 3 left");
    }

    @Test
    void arrayCountOverItsMaximum() {
        assertThatThrownBy(() -> hex("00000015").readArray(20, XdrDecoder::readInt))
                .isInstanceOf(XdrException.class).hasMessage("array length 21 exceeds its limit of 20");
    }

    @Test
    void arrayCountThatTheBytesCannotHold() {
        assertThatThrownBy(() -> hex("00000003 00000001 00000002").readArray(20, XdrDecoder::readInt))
                .isInstanceOf(XdrException.class).hasMessage("array length 3 exceeds the 8 bytes left");
    }

    @Test
    void charArrayCountThatTheBytesCannotHold() {
        assertThatThrownBy(() -> hex("00000002 00000041").readChars(10))
                .isInstanceOf(XdrException.class).hasMessage("char array length 2 exceeds the 4 bytes left");
    }

    @Test
    void booleanMustBeZeroOrOne() {
        assertThatThrownBy(() -> hex("00000002").readBool())
                .isInstanceOf(XdrException.class).hasMessage("boolean must be 0 or 1, got 2");
        assertThatThrownBy(() -> hex("00000005 00000000").readOptional(XdrDecoder::readInt))
                .isInstanceOf(XdrException.class).hasMessage("boolean must be 0 or 1, got 5");
    }

    @Test
    void smallTypesOutOfRange() {
        assertThatThrownBy(() -> hex("00000100").readUnsignedChar())
                .isInstanceOf(XdrException.class).hasMessage("unsigned char out of range: 256");
        assertThatThrownBy(() -> hex("00010000").readUnsignedShort())
                .isInstanceOf(XdrException.class).hasMessage("unsigned short out of range: 65536");
        assertThatThrownBy(() -> hex("00000080").readChar())
                .isInstanceOf(XdrException.class).hasMessage("char out of range: 128");
    }

    @Test
    void invalidUtf8() {
        assertThatThrownBy(() -> hex("00000002 c3280000").readString(10))
                .isInstanceOf(XdrException.class).hasMessage("string at offset 4 is not valid UTF-8");
    }

    @Test
    void trailingBytes() {
        XdrDecoder in = hex("00000001 00000002");
        in.readInt();
        assertThatThrownBy(in::expectEnd).isInstanceOf(XdrException.class).hasMessage("4 unexpected trailing bytes");
    }

    @Test
    void encoderRefusesWhatTheLimitForbids() {
        assertThatThrownBy(() -> new XdrEncoder().writeString("abcdef", 5))
                .isInstanceOf(XdrException.class).hasMessage("string of 6 exceeds its limit of 5");
        assertThatThrownBy(() -> new XdrEncoder().writeFixedOpaque(new byte[3], 16))
                .isInstanceOf(XdrException.class).hasMessage("fixed opaque needs 16 bytes, got 3");
        assertThatThrownBy(() -> new XdrEncoder().writeUnsignedChar(300))
                .isInstanceOf(XdrException.class).hasMessage("unsigned char out of range: 300");
    }

    @Test
    void sliceDecodesOnlyItsPart() {
        byte[] bytes = HexFormat.of().parseHex("0000000100000002ffffffff");
        XdrDecoder in = new XdrDecoder(bytes, 4, 4);
        assertThat(in.readInt()).isEqualTo(2);
        in.expectEnd();
    }
}
