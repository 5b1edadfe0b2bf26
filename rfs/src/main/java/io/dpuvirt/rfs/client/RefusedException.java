package io.dpuvirt.rfs.client;

import java.io.IOException;

/** The server would not export the path (not under [Mount], not a directory…); the message says why. */
public final class RefusedException extends IOException {
    private final int errno;

    public RefusedException(int errno, String message) {
        super(message);
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }
}
