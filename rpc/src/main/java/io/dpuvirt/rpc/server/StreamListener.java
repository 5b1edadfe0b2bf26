package io.dpuvirt.rpc.server;

/**
 * Receives what the client sends on a stream. Called on the connection's reader thread, in order:
 * it must not block for long, or keepalive answers and other calls of that client wait too.
 */
public interface StreamListener {
    /** Bytes the client wrote (a STREAM packet with status CONTINUE). */
    void data(byte[] bytes);

    /** No more packets will come, and why. Called once. */
    void closed(StreamEnd end);
}
