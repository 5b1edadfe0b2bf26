package io.dpuvirt.rpc.wire;

/** Limits of libvirt's message framing (virnetprotocol.x, libvirt 9.x). */
public final class Framing {
    /** The length word that starts every message; it counts itself. */
    public static final int LENGTH_WORD = 4;
    /** VIR_NET_MESSAGE_MAX: header plus payload, the length word not included. */
    public static final int MESSAGE_MAX = 32 * 1024 * 1024;
    /** The largest payload a message can carry. */
    public static final int PAYLOAD_MAX = MESSAGE_MAX - MessageHeader.SIZE;
    /** VIR_NET_MESSAGE_STRING_MAX. */
    public static final int STRING_MAX = 4 * 1024 * 1024;

    private Framing() {
    }
}
