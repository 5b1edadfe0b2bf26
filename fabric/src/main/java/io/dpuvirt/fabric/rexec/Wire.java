package io.dpuvirt.fabric.rexec;

import io.dpuvirt.fabric.udsproxy.PeerSockets;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * One end of a connection between a client and rexec_server, as bytes. Three kinds: the JDK's channel
 * ({@link ChannelWire}, no native code on a short-lived client's start-up path), a native socket
 * ({@link NativeWire}, for passing descriptors and for the server), and a stream through the peer's udsproxyd
 * ({@link PeerWire}, for a daemon that holds the link's key).
 */
interface Wire extends AutoCloseable {
    /**
     * A connection to the server at {@code socket}: here, or on the peer's side {@code through} its udsproxyd (if not
     * null), where the first request goes right behind the open and a server that is not there is the answer's error.
     */
    static Wire connect(Path socket, PeerSockets through) throws IOException {
        return through == null ? ChannelWire.connect(socket) : new PeerWire(through.openAhead(socket));
    }

    /** Reads what is available into {@code into} (blocking until something is); -1 at end of stream. */
    int read(ByteBuffer into) throws IOException;

    /** Writes everything between {@code from}'s position and limit. */
    void write(ByteBuffer from) throws IOException;

    /** The peer reads end of stream; this end can still read. */
    void shutdownOutput() throws IOException;

    /**
     * True when there is nothing to read now, as on a connection that waits for its next request; one the server
     * has closed meanwhile (restarted, stopped, idle too long) has its end of stream waiting, and is no use any more.
     */
    boolean quiet();

    /** Wakes any thread blocked on this wire; safe from any thread. */
    void abort();

    @Override
    void close();
}
