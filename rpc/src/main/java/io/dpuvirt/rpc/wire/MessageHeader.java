package io.dpuvirt.rpc.wire;

import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrEncoder;
import io.dpuvirt.rpc.xdr.XdrException;
import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * {@code virNetMessageHeader}: six 4-byte words after the length word. {@code program} and
 * {@code serial} are unsigned on the wire and carried as bit patterns.
 */
public record MessageHeader(int program, int version, int procedure, MessageType type, int serial,
                            MessageStatus status) implements XdrWritable {
    /** Encoded size in bytes (VIR_NET_MESSAGE_HEADER_MAX). */
    public static final int SIZE = 24;

    public static MessageHeader call(int program, int version, int procedure, int serial) {
        return new MessageHeader(program, version, procedure, MessageType.CALL, serial, MessageStatus.OK);
    }

    /** A reply to this call: same program, version, procedure and serial. */
    public MessageHeader reply(MessageStatus replyStatus) {
        return new MessageHeader(program, version, procedure, MessageType.REPLY, serial, replyStatus);
    }

    /** A stream packet of the stream this call opened. */
    public MessageHeader stream(MessageStatus streamStatus) {
        return new MessageHeader(program, version, procedure, MessageType.STREAM, serial, streamStatus);
    }

    @Override
    public void encode(XdrEncoder out) {
        out.writeUnsignedInt(program)
                .writeUnsignedInt(version)
                .writeInt(procedure)
                .writeInt(type.code())
                .writeUnsignedInt(serial)
                .writeInt(status.code());
    }

    public static MessageHeader decode(XdrDecoder in) {
        int program = in.readUnsignedInt();
        int version = in.readUnsignedInt();
        int procedure = in.readInt();
        int type = in.readInt();
        int serial = in.readUnsignedInt();
        int status = in.readInt();
        try {
            return new MessageHeader(program, version, procedure, MessageType.of(type), serial,
                    MessageStatus.of(status));
        } catch (IllegalArgumentException e) {
            throw new XdrException("bad message header: " + e.getMessage());
        }
    }

    @Override
    public String toString() {
        return "MessageHeader[prog=0x" + Integer.toHexString(program) + " v" + version + " proc=" + procedure
                + " " + type + " serial=" + Integer.toUnsignedString(serial) + " " + status + "]";
    }
}
