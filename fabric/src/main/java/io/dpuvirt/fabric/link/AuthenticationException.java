package io.dpuvirt.fabric.link;

import java.io.IOException;

/** The other end did not prove it holds the link key (or we could not prove it to them); the reason says which. */
public final class AuthenticationException extends IOException {
    public AuthenticationException(String message) {
        super(message);
    }
}
