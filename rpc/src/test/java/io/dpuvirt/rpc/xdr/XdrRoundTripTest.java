package io.dpuvirt.rpc.xdr;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.AlphaChars;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.List;
import java.util.Optional;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

class XdrRoundTripTest {

    @Property
    void intsAndHypers(@ForAll int i, @ForAll long h, @ForAll boolean b) {
        XdrEncoder out = new XdrEncoder().writeInt(i).writeUnsignedInt(i).writeHyper(h).writeUnsignedHyper(h).writeBool(b);
        assertThat(out.size()).isEqualTo(4 + 4 + 8 + 8 + 4);
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        assertThat(in.readInt()).isEqualTo(i);
        assertThat(in.readUnsignedInt()).isEqualTo(i);
        assertThat(in.readHyper()).isEqualTo(h);
        assertThat(in.readUnsignedHyper()).isEqualTo(h);
        assertThat(in.readBool()).isEqualTo(b);
        in.expectEnd();
    }

    @Property
    void rpcgenSmallTypesTakeFourBytesEach(@ForAll byte c, @ForAll @IntRange(max = 255) int uc, @ForAll short s,
                                           @ForAll @IntRange(max = 65535) int us) {
        XdrEncoder out = new XdrEncoder().writeChar(c).writeUnsignedChar(uc).writeShort(s).writeUnsignedShort(us);
        assertThat(out.size()).isEqualTo(16);
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        assertThat(in.readChar()).isEqualTo(c);
        assertThat(in.readUnsignedChar()).isEqualTo(uc);
        assertThat(in.readShort()).isEqualTo(s);
        assertThat(in.readUnsignedShort()).isEqualTo(us);
        in.expectEnd();
    }

    @Property
    void stringsArePaddedUtf8(@ForAll @StringLength(max = 200) String text) {
        XdrEncoder out = new XdrEncoder().writeString(text, 1000).writeInt(7);
        assertThat(out.size() % 4).isZero();
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        // lone surrogates have no UTF-8 form: compare with what UTF-8 can carry
        assertThat(in.readString(1000)).isEqualTo(new String(text.getBytes(UTF_8), UTF_8));
        assertThat(in.readInt()).as("the value after the padding").isEqualTo(7);
        in.expectEnd();
    }

    @Property
    void opaques(@ForAll @Size(max = 64) byte[] variable, @ForAll @Size(value = 13) byte[] fixed) {
        XdrEncoder out = new XdrEncoder().writeOpaque(variable, 64).writeFixedOpaque(fixed, 13);
        assertThat(out.size()).isEqualTo(4 + (variable.length + 3) / 4 * 4 + 16);
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        assertThat(in.readOpaque(64)).isEqualTo(variable);
        assertThat(in.readFixedOpaque(13)).isEqualTo(fixed);
        in.expectEnd();
    }

    @Property
    void charArrays(@ForAll @Size(max = 40) byte[] chars, @ForAll @Size(value = 8) byte[] fixed) {
        XdrEncoder out = new XdrEncoder().writeChars(chars, 40).writeFixedChars(fixed, 8);
        assertThat(out.size()).isEqualTo(4 + 4 * chars.length + 4 * 8);
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        assertThat(in.readChars(40)).isEqualTo(chars);
        assertThat(in.readFixedChars(8)).isEqualTo(fixed);
    }

    @Property
    void optionalsAndArrays(@ForAll Optional<@StringLength(max = 20) String> maybe,
                            @ForAll @Size(max = 30) List<Integer> numbers) {
        XdrEncoder out = new XdrEncoder()
                .writeOptional(maybe, (o, s) -> o.writeString(s, 100))
                .writeArray(numbers, 30, XdrEncoder::writeInt);
        XdrDecoder in = new XdrDecoder(out.toByteArray());
        Optional<String> decoded = in.readOptional(d -> d.readString(100));
        assertThat(decoded.isPresent()).isEqualTo(maybe.isPresent());
        assertThat(in.readArray(30, XdrDecoder::readInt)).isEqualTo(numbers);
        in.expectEnd();
    }

    @Property
    void asciiStringsKeepTheirExactBytes(@ForAll @StringLength(max = 50) @AlphaChars String text) {
        byte[] encoded = new XdrEncoder().writeString(text, 50).toByteArray();
        assertThat(encoded.length).isEqualTo(4 + (text.length() + 3) / 4 * 4);
        assertThat(new XdrDecoder(encoded).readString(50)).isEqualTo(text);
    }

    @Property
    void paddingIsZero(@ForAll @Size(min = 1, max = 7) byte[] data) {
        byte[] encoded = new XdrEncoder().writeOpaque(data, 7).toByteArray();
        for (int i = 4 + data.length; i < encoded.length; i++) {
            assertThat(encoded[i]).isZero();
        }
    }
}
