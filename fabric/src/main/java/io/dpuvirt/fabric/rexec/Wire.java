package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * One end of a connection between a client and rexec_server, as bytes. Two kinds: the JDK's channel
 * ({@link ChannelWire}, no native code on a short-lived client's start-up path) and a native socket
 * ({@link NativeWire}, for passing descriptors and for the server).
 */
interface Wire extends AutoCloseable {
    /** Reads what is available into {@code into} (blocking until something is); -1 at end of stream. */
    int read(ByteBuffer into) throws IOException;

    /** Writes everything between {@code from}'s position and limit. */
    void write(ByteBuffer from) throws IOException;

    /** The peer reads end of stream; this end can still read. */
    void shutdownOutput() throws IOException;

    /** Wakes any thread blocked on this wire; safe from any thread. */
    void abort();

    @Override
    void close();
}
