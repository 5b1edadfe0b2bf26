package io.dpuvirt.fabric.rexec;

import java.io.IOException;

/**
 * rexec_server did not start the program: not found (exit status 127), refused by its whitelist or not executable
 * (126), or the request itself was refused (255). The message names the program and the reason.
 */
public final class SpawnFailedException extends IOException {
    private final int exitStatus;

    public SpawnFailedException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** The status a shell-like caller exits with: 126, 127 or 255. */
    public int exitStatus() {
        return exitStatus;
    }

    /** The FAILED frame: {@code u16 exit status} and the message in UTF-8. */
    java.nio.ByteBuffer encode() {
        byte[] message = getMessage().getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocateDirect(Protocol.HEADER + 2 + message.length);
        Protocol.putHeader(frame, Protocol.FAILED, 2 + message.length);
        return frame.putShort((short) exitStatus).put(message).flip();
    }

    static SpawnFailedException decode(java.nio.ByteBuffer payload) {
        int status = Short.toUnsignedInt(payload.getShort());
        byte[] message = new byte[payload.remaining()];
        payload.get(message);
        return new SpawnFailedException(status, new String(message, java.nio.charset.StandardCharsets.UTF_8));
    }
}
