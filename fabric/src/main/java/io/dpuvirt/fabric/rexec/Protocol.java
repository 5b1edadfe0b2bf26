package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The rexec wire protocol on the unix socket between a client and rexec_server (see docs/REXEC.md). Every message
 * is a frame: {@code u8 type, u8 0, u16 0, u32 length} (big-endian) and {@code length} bytes of payload.
 * The client speaks first with SPAWN; the server answers STARTED or FAILED; then both sides stream.
 */
final class Protocol {
    static final int VERSION = 1;
    static final int HEADER = 8;
    /** The largest STDIN, STDOUT or STDERR payload; the sender splits larger writes. */
    static final int MAX_DATA = 128 * 1024;
    /** The largest SPAWN payload: argv and environment together (Linux itself allows about 2 MiB). */
    static final int MAX_SPAWN = 4 * 1024 * 1024;
    /** Stdin bytes a client may send before the server acknowledges them (see STDIN_ACK). */
    static final int STDIN_WINDOW = 256 * 1024;

    // client -> server
    static final int SPAWN = 0x01;
    static final int STDIN = 0x02;
    static final int STDIN_EOF = 0x03;
    static final int SIGNAL = 0x04;
    static final int RESIZE = 0x05;
    static final int OUTPUT_CLOSED = 0x06;
    // server -> client
    static final int STARTED = 0x41;
    static final int STDOUT = 0x42;
    static final int STDERR = 0x43;
    static final int STDIN_ACK = 0x44;
    static final int EXITED = 0x45;
    static final int FAILED = 0x46;

    private Protocol() {
    }

    static void putHeader(ByteBuffer buffer, int type, int length) {
        buffer.put((byte) type).put((byte) 0).putShort((short) 0).putInt(length);
    }

    static int type(ByteBuffer buffer, int frameStart) {
        return buffer.get(frameStart) & 0xff;
    }

    /** The payload length of the frame at {@code frameStart}, checked against {@code limit}. */
    static int length(ByteBuffer buffer, int frameStart, int limit) throws IOException {
        int length = buffer.getInt(frameStart + 4);
        if (length < 0 || length > limit) {
            throw new ProtocolException("frame of type 0x" + Integer.toHexString(type(buffer, frameStart)) + " announces "
                    + Integer.toUnsignedString(length) + " bytes, more than the " + limit + " allowed");
        }
        return length;
    }

    static String typeName(int type) {
        return switch (type) {
            case SPAWN -> "SPAWN";
            case STDIN -> "STDIN";
            case STDIN_EOF -> "STDIN_EOF";
            case SIGNAL -> "SIGNAL";
            case RESIZE -> "RESIZE";
            case OUTPUT_CLOSED -> "OUTPUT_CLOSED";
            case STARTED -> "STARTED";
            case STDOUT -> "STDOUT";
            case STDERR -> "STDERR";
            case STDIN_ACK -> "STDIN_ACK";
            case EXITED -> "EXITED";
            case FAILED -> "FAILED";
            default -> "0x" + Integer.toHexString(type);
        };
    }
}
