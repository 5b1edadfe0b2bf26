package io.dpuvirt.rpc.server;

/** One client connection, as the procedure handlers see it. */
public interface ClientSession {
    /** Unique within the server's life, for logs and per-client state. */
    long id();

    /**
     * Opens the stream of {@code call} (for DOMAIN_OPEN_CONSOLE and other stream procedures). What the
     * handler sends on it before the call's reply has gone out is held back until then; if the handler
     * fails the call instead, the stream is dropped.
     */
    ServerStream openStream(RpcCall call, StreamListener listener);

    /** For handlers of AUTH_* procedures: the client has proved who it is, every procedure is now allowed. */
    void markAuthenticated();

    /**
     * For the handler of CONNECT_SUPPORTS_FEATURE asked about keepalive, as libvirtd does: the client understands
     * PINGs, so from now on the server pings it when it falls silent and closes it when it stays so
     * ({@link KeepalivePolicy}). Asking again changes nothing.
     */
    void startKeepalive();
}
