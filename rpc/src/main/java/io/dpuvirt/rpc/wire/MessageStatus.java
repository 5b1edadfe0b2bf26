package io.dpuvirt.rpc.wire;

/** {@code virNetMessageStatus}. */
public enum MessageStatus {
    /** Calls and messages always; a successful reply; a stream's end. */
    OK(0),
    /** A failed reply or stream: a {@code remote_error} follows. */
    ERROR(1),
    /** Stream data, more to come. */
    CONTINUE(2);

    private final int code;

    MessageStatus(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static MessageStatus of(int code) {
        for (MessageStatus status : values()) {
            if (status.code == code) {
                return status;
            }
        }
        throw new IllegalArgumentException("unknown message status " + code);
    }
}
