package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Where a remote program's stdout or stderr goes. Called on the connection's reader thread: a sink that blocks holds
 * up the program (as a full pipe would). A sink that throws is closed: the program's stream is closed on the server,
 * and its next write gets EPIPE or SIGPIPE, as with a local pipe whose reader went away.
 */
@FunctionalInterface
public interface OutputSink {
    /** Consumes every remaining byte of {@code data}, a view valid only during the call. */
    void write(ByteBuffer data) throws IOException;

    /** The program's stream ended (or the connection did). */
    default void close() throws IOException {
    }

    static OutputSink discard() {
        return data -> data.position(data.limit());
    }

    static OutputSink to(WritableByteChannel channel) {
        return data -> {
            while (data.hasRemaining()) {
                channel.write(data);
            }
        };
    }

    static OutputSink to(OutputStream stream) {
        return new OutputSink() {
            private final byte[] chunk = new byte[64 * 1024];

            @Override
            public void write(ByteBuffer data) throws IOException {
                while (data.hasRemaining()) {
                    int n = Math.min(chunk.length, data.remaining());
                    data.get(chunk, 0, n);
                    stream.write(chunk, 0, n);
                }
                stream.flush();
            }

            @Override
            public void close() throws IOException {
                stream.flush();
            }
        };
    }
}
