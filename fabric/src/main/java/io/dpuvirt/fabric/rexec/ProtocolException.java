package io.dpuvirt.fabric.rexec;

import java.io.IOException;

/** The other side broke the rexec protocol: a frame too long, of an unknown type, or malformed. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }
}
