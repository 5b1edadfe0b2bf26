package io.dpuvirt.common.exec;

import java.util.List;

/** What an external command did: its argv, exit status and captured output. */
public record CommandResult(List<String> argv, int exitStatus, String stdout, String stderr) {
    public CommandResult {
        argv = List.copyOf(argv);
    }

    public boolean succeeded() {
        return exitStatus == 0;
    }

    /** Returns this result, or throws naming the command, its status and what it printed on stderr. */
    public CommandResult orThrow() throws CommandException {
        if (!succeeded()) {
            throw new CommandException(this);
        }
        return this;
    }
}
