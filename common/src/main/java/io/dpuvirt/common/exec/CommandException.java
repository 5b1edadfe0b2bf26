package io.dpuvirt.common.exec;

import java.io.IOException;

/** An external command that failed; the message says which, how, and what it printed. */
public final class CommandException extends IOException {
    private final transient CommandResult result;

    public CommandException(CommandResult result) {
        super("'" + String.join(" ", result.argv()) + "' exited with status " + result.exitStatus()
                + (result.stderr().isBlank() ? "" : ": " + result.stderr().strip()));
        this.result = result;
    }

    public CommandResult result() {
        return result;
    }
}
