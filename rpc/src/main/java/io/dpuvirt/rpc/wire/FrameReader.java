package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrException;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.util.Optional;

/**
 * Reads length-prefixed messages from a blocking channel, one thread at a time. A length below
 * {@code 4 + 24} or above {@code 4 + 32 MiB} is refused before anything is allocated for it, as
 * libvirt's own reader does.
 */
public final class FrameReader {
    private final ReadableByteChannel channel;
    private final ByteBuffer lengthWord = ByteBuffer.allocate(Framing.LENGTH_WORD);

    public FrameReader(ReadableByteChannel channel) {
        this.channel = channel;
    }

    /** The next message, or empty when the peer closed the connection between two messages. */
    public Optional<RpcMessage> read() throws IOException {
        lengthWord.clear();
        if (!fill(lengthWord, true)) {
            return Optional.empty();
        }
        int length = lengthWord.flip().getInt();
        checkLength(length);
        ByteBuffer body = ByteBuffer.allocate(length - Framing.LENGTH_WORD);
        fill(body, false);
        byte[] bytes = body.array();
        try {
            XdrDecoder in = new XdrDecoder(bytes, 0, MessageHeader.SIZE);
            MessageHeader header = MessageHeader.decode(in);
            byte[] payload = new byte[bytes.length - MessageHeader.SIZE];
            System.arraycopy(bytes, MessageHeader.SIZE, payload, 0, payload.length);
            return Optional.of(new RpcMessage(header, payload));
        } catch (XdrException e) {
            throw new FrameException(e.getMessage());
        }
    }

    static void checkLength(int length) throws FrameException {
        if (length < Framing.LENGTH_WORD + MessageHeader.SIZE) {
            throw new FrameException("message length " + Integer.toUnsignedString(length)
                    + " is shorter than a header (" + (Framing.LENGTH_WORD + MessageHeader.SIZE) + ")");
        }
        if (length - Framing.LENGTH_WORD > Framing.MESSAGE_MAX) {
            throw new FrameException("message length " + length + " exceeds the limit of "
                    + Framing.MESSAGE_MAX + " bytes");
        }
    }

    /** Fills {@code buffer}; false if the channel ended before the first byte and that is allowed. */
    private boolean fill(ByteBuffer buffer, boolean endAllowedBeforeFirstByte) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                if (endAllowedBeforeFirstByte && buffer.position() == 0) {
                    return false;
                }
                throw new EOFException("connection closed inside a message");
            }
        }
        return true;
    }
}
