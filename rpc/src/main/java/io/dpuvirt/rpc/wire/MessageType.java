package io.dpuvirt.rpc.wire;

/** {@code virNetMessageType}: what a message is. */
public enum MessageType {
    /** Client to server: the args of a procedure call. */
    CALL(0),
    /** Server to client: the ret of a call, or a {@code remote_error}. */
    REPLY(1),
    /** Either direction, serial 0: an event or a keepalive. */
    MESSAGE(2),
    /** Either direction: data of a stream opened by a call (same procedure and serial). */
    STREAM(3),
    CALL_WITH_FDS(4),
    REPLY_WITH_FDS(5),
    /** A hole in a sparse stream (libvirt 3.4 and later). */
    STREAM_HOLE(6);

    private final int code;

    MessageType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static MessageType of(int code) {
        for (MessageType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        throw new IllegalArgumentException("unknown message type " + code);
    }
}
