package io.dpuvirt.rfs.client;

import java.io.IOException;

/** The server would not export the path (not under [Mount], not a directory…); the message says why. */
public final class RefusedException extends IOException {
    public RefusedException(String message) {
        super(message);
    }
}
