package io.dpuvirt.rpc.wire;

import java.io.IOException;

/** The byte stream does not carry libvirt messages (a bad length or header): the connection is unusable. */
public final class FrameException extends IOException {
    public FrameException(String message) {
        super(message);
    }
}
