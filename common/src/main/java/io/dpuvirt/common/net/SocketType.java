package io.dpuvirt.common.net;

/** The socket types dpuvirt relays: byte streams and sequenced packets (message boundaries kept). */
public enum SocketType {
    STREAM(1), SEQPACKET(5);

    private final int code;

    SocketType(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** The type for a {@code SOCK_*} number as /proc/net/unix and getsockopt(SO_TYPE) report it, or null. */
    public static SocketType ofCode(int code) {
        for (SocketType type : values()) {
            if (type.code == code) {
                return type;
            }
        }
        return null;
    }
}
