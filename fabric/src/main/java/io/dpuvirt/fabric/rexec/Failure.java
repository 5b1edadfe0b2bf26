package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The FAILED frame: {@code u16 status, message (UTF-8)}, why the server did not do what a client asked. For a spawn
 * the status is a shell's (126, 127, 255: {@link SpawnFailedException}); for a request about a detached program
 * see {@link RequestRefusedException}; a file request is refused the same way, or its call failed: then the status
 * is {@link #ERRNO} + the errno, and the message the errno's description.
 */
record Failure(int status, String message) {
    static final int ERRNO = 0x100;

    static Failure ofErrno(int errno) {
        return new Failure(ERRNO + errno, Errno.describe(errno));
    }

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
