package io.dpuvirt.rpc.client;

import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.RemoteError;

/** The server answered a call (or a stream) with an error. */
public final class RemoteCallException extends Exception {
    private final RemoteError error;

    public RemoteCallException(String what, RemoteError error) {
        super(what + ": " + error.message().orElse("unknown error"));
        this.error = error;
    }

    public RemoteError error() {
        return error;
    }

    public boolean is(ErrorCode code) {
        return error.is(code);
    }
}
