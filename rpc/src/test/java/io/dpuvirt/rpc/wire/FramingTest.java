package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.remote.RemoteProgram;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.util.HexFormat;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FramingTest {

    private static FrameReader readerOf(String hex) {
        return new FrameReader(Channels.newChannel(new ByteArrayInputStream(HexFormat.of().parseHex(hex.replace(" ", "")))));
    }

    @Test
    void writtenMessagesReadBackInOrder() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(Channels.newChannel(bytes));
        RpcMessage call = new RpcMessage(MessageHeader.call(RemoteProgram.PROGRAM, 1, 59, 7), new byte[] {1, 2, 3, 4});
        writer.write(call);
        writer.write(Keepalive.pong());
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(bytes.toByteArray())));
        assertThat(reader.read()).contains(call);
        assertThat(reader.read()).contains(Keepalive.pong());
        assertThat(reader.read()).isEmpty();
    }

    @Test
    void refusesLengthShorterThanAHeader() {
        assertThatThrownBy(() -> readerOf("0000001b").read())
                .isInstanceOf(FrameException.class)
                .hasMessage("message length 27 is shorter than a header (28)");
        assertThatThrownBy(() -> readerOf("00000000").read()).isInstanceOf(FrameException.class);
    }

    @Test
    void refusesLengthOverThirtyTwoMebibytes() {
        // 0x02000005 = 32 MiB + 5: one byte more than the length word plus VIR_NET_MESSAGE_MAX
        assertThatThrownBy(() -> readerOf("02000005").read())
                .isInstanceOf(FrameException.class)
                .hasMessage("message length 33554437 exceeds the limit of 33554432 bytes");
        assertThatThrownBy(() -> readerOf("ffffffff").read())
                .isInstanceOf(FrameException.class)
                .hasMessageStartingWith("message length 4294967295");
    }

    @Test
    void connectionEndingInsideAMessage() {
        assertThatThrownBy(() -> readerOf("0000001c 20008086").read())
                .isInstanceOf(EOFException.class).hasMessage("connection closed inside a message");
        assertThatThrownBy(() -> readerOf("0000").read()).isInstanceOf(EOFException.class);
    }

    @Test
    void refusesUnknownMessageType() {
        assertThatThrownBy(() -> readerOf("0000001c 20008086 00000001 00000001 00000009 00000001 00000000").read())
                .isInstanceOf(FrameException.class).hasMessage("bad message header: unknown message type 9");
    }

    @Test
    void writerRefusesOversizedPayload() {
        RpcMessage huge = new RpcMessage(MessageHeader.call(RemoteProgram.PROGRAM, 1, 1, 1),
                new byte[Framing.PAYLOAD_MAX + 1]);
        assertThatThrownBy(() -> FrameWriter.encode(huge)).isInstanceOf(FrameException.class)
                .hasMessageContaining("exceeds the limit of " + Framing.PAYLOAD_MAX);
    }

    @Test
    void largestMessageIsAccepted() throws Exception {
        RpcMessage largest = new RpcMessage(MessageHeader.call(RemoteProgram.PROGRAM, 1, 1, 1),
                new byte[Framing.PAYLOAD_MAX]);
        ByteBuffer frame = FrameWriter.encode(largest);
        assertThat(frame.getInt(0)).isEqualTo(Framing.LENGTH_WORD + Framing.MESSAGE_MAX);
        FrameReader reader = new FrameReader(Channels.newChannel(new ByteArrayInputStream(frame.array())));
        Optional<RpcMessage> read = reader.read();
        assertThat(read).isPresent();
        assertThat(read.get().payloadLength()).isEqualTo(Framing.PAYLOAD_MAX);
    }
}
