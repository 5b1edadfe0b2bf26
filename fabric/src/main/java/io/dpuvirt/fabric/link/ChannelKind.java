package io.dpuvirt.fabric.link;

/** What an authenticated link connection is for; the dialer names it in the handshake (and the MAC covers it). */
public enum ChannelKind {
    /** Announcements (exported sockets) and liveness pings, from the dialer's side to the acceptor's. */
    CONTROL(1),
    /** One proxied unix socket connection at a time; pooled and reused. */
    STREAM(2),

    // rfs (the qtfs role): its code is far from the others so that services added in parallel cannot collide
    /** Remote file system requests and replies, many in flight, matched by id (DPU client → HOST engine). */
    RFS(8);

    private final int code;

    ChannelKind(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ChannelKind ofCode(int code) {
        for (ChannelKind kind : values()) {
            if (kind.code == code) {
                return kind;
            }
        }
        return null;
    }
}
