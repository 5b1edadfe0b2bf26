package io.dpuvirt.fabric.link;

import java.io.IOException;

/** The peer sent something the protocol does not allow; the connection cannot be trusted further. */
public final class LinkProtocolException extends IOException {
    public LinkProtocolException(String message) {
        super(message);
    }
}
