package io.dpuvirt.rpc.wire;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Writes length-prefixed messages to a blocking channel. Thread-safe: each message goes out whole,
 * so replies, stream packets and keepalives from different threads never interleave.
 */
public final class FrameWriter {
    private final WritableByteChannel channel;
    private final ReentrantLock lock = new ReentrantLock();

    public FrameWriter(WritableByteChannel channel) {
        this.channel = channel;
    }

    public void write(RpcMessage message) throws IOException {
        ByteBuffer frame = encode(message);
        lock.lock();
        try {
            while (frame.hasRemaining()) {
                channel.write(frame);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The bytes of one message on the wire: length word, header, payload. */
    public static ByteBuffer encode(RpcMessage message) throws FrameException {
        int payloadLength = message.payloadLength();
        if (payloadLength > Framing.PAYLOAD_MAX) {
            throw new FrameException("payload of " + payloadLength + " bytes exceeds the limit of "
                    + Framing.PAYLOAD_MAX + " (" + message.header() + ")");
        }
        int length = Framing.LENGTH_WORD + MessageHeader.SIZE + payloadLength;
        ByteBuffer frame = ByteBuffer.allocate(length);
        frame.putInt(length);
        frame.put(message.header().toXdr());
        message.writePayloadTo(frame);
        return frame.flip();
    }
}
