package io.dpuvirt.fabric.rexec;

import io.dpuvirt.fabric.udsproxy.PeerStream;

import java.io.IOException;
import java.nio.ByteBuffer;

/** A {@link Wire} on a stream through the peer's udsproxyd: rexec_server on the other side, no mirror in between. */
final class PeerWire implements Wire {
    private final PeerStream stream;

    PeerWire(PeerStream stream) {
        this.stream = stream;
    }

    @Override
    public int read(ByteBuffer into) throws IOException {
        return stream.read(into);
    }

    @Override
    public void write(ByteBuffer from) throws IOException {
        stream.write(from);
    }

    @Override
    public boolean quiet() {
        return stream.quiet();
    }

    @Override
    public void shutdownOutput() throws IOException {
        stream.shutdownOutput();
    }

    @Override
    public void abort() {
        stream.abort();
    }

    @Override
    public void close() {
        stream.close();
    }
}
