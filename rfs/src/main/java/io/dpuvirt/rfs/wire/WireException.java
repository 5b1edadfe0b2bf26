package io.dpuvirt.rfs.wire;

import java.io.IOException;

/** A message that does not follow the rfs wire format: the connection that carried it cannot be trusted further. */
public final class WireException extends IOException {
    public WireException(String message) {
        super(message);
    }
}
