package io.dpuvirt.fabric.rexec;

import java.io.IOException;

/**
 * rexec_server refused a request about a detached program, or a file request; the message says why (a file
 * request's names the path). {@link #programGone()} tells
 * "no detached program of that server runs with this pid and start time" (it has ended, or never was one: the
 * server acts on nothing else) from a request wrong in itself (no such thread, an unusable CPU set) or a client the
 * server does not serve.
 */
public final class RequestRefusedException extends IOException {
    /** FAILED's status for a program that is not (any more) a running detached program of the server. */
    static final int GONE = 1;
    /** FAILED's status for a request refused for what it asks. */
    static final int REFUSED = 2;

    private final boolean programGone;

    private RequestRefusedException(boolean programGone, String message) {
        super(message);
        this.programGone = programGone;
    }

    static RequestRefusedException gone(String message) {
        return new RequestRefusedException(true, message);
    }

    static RequestRefusedException refused(String message) {
        return new RequestRefusedException(false, message);
    }

    static RequestRefusedException of(Failure failure) {
        return new RequestRefusedException(failure.status() == GONE, failure.message());
    }

    public boolean programGone() {
        return programGone;
    }

    Failure failure() {
        return new Failure(programGone ? GONE : REFUSED, getMessage());
    }
}
