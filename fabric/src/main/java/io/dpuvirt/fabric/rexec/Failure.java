package io.dpuvirt.fabric.rexec;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The FAILED frame: {@code u16 status, message (UTF-8)}, why the server did not do what a client asked. For a spawn
 * the status is a shell's (126, 127, 255: {@link SpawnFailedException}); for a request about a detached program
 * see {@link RequestRefusedException}.
 */
record Failure(int status, String message) {
    ByteBuffer encode() {
        byte[] text = message.getBytes(StandardCharsets.UTF_8);
        ByteBuffer frame = ByteBuffer.allocateDirect(Protocol.HEADER + 2 + text.length);
        Protocol.putHeader(frame, Protocol.FAILED, 2 + text.length);
        return frame.putShort((short) status).put(text).flip();
    }

    static Failure decode(ByteBuffer payload) {
        int status = Short.toUnsignedInt(payload.getShort());
        byte[] text = new byte[payload.remaining()];
        payload.get(text);
        return new Failure(status, new String(text, StandardCharsets.UTF_8));
    }
}
