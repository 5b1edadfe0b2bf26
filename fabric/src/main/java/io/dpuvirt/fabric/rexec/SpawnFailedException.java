package io.dpuvirt.fabric.rexec;

import java.io.IOException;

/**
 * rexec_server did not start the program: not found (exit status 127), refused by its whitelist or not executable
 * (126), or the request itself was refused (255). The message names the program and the reason.
 */
public final class SpawnFailedException extends IOException {
    private final int exitStatus;

    public SpawnFailedException(int exitStatus, String message) {
        super(message);
        this.exitStatus = exitStatus;
    }

    /** The status a shell-like caller exits with: 126, 127 or 255. */
    public int exitStatus() {
        return exitStatus;
    }

    Failure failure() {
        return new Failure(exitStatus, getMessage());
    }

    static SpawnFailedException of(Failure failure) {
        return new SpawnFailedException(failure.status(), failure.message());
    }
}
