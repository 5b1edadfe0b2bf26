package io.dpuvirt.rpc.server;

/** How a stream ended from the client's side. */
public enum StreamEnd {
    /** The client finished it (STREAM status OK). */
    FINISHED,
    /** The client aborted it (STREAM status ERROR). */
    ABORTED,
    /** The connection closed first. */
    DISCONNECTED
}
