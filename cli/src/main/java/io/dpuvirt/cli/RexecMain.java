package io.dpuvirt.cli;

import io.dpuvirt.cli.rexec.RexecCommand;

/**
 * {@code rexec PROGRAM ARGS...}: runs PROGRAM through rexec_server as if it ran here. Started by bin/rexec, which
 * sets up the JVM for it (start-up flags, AOT cache, the signals it forwards blocked); see {@link RexecCommand}.
 */
public final class RexecMain {
    private RexecMain() {
    }

    public static void main(String[] args) {
        // halt: nothing to run at exit, and the threads still blocked (reading stdin) must not delay it
        Runtime.getRuntime().halt(RexecCommand.run(args));
    }
}
