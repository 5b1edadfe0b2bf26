package io.dpuvirt.rfs.wire;

/**
 * Frame types on an RFS link channel. A connection starts with HELLO (the export the client wants) answered by
 * WELCOME or REFUSED; then REQUEST and REPLY frames carry {@code u64 id} so that many requests are in flight at
 * once and replies come back in any order; PING/PONG prove the other end is alive.
 */
public final class MessageType {
    /** Client: u32 protocol version, string export path (absolute, on the HOST). */
    public static final int HELLO = 1;
    /** Server: u64 server epoch (new at every server start: open handles of an older epoch are gone), root Attr. */
    public static final int WELCOME = 2;
    /** Server: u32 errno, string reason; then it closes the connection. */
    public static final int REFUSED = 3;
    /** Client: u64 id, u8 op, u32 uid, u32 gid (the caller on the DPU), op arguments. */
    public static final int REQUEST = 4;
    /** Server: u64 id, u32 errno (0: success, then the op's results). */
    public static final int REPLY = 5;
    public static final int PING = 6;
    public static final int PONG = 7;

    public static final int PROTOCOL_VERSION = 2;

    private MessageType() {
    }
}
