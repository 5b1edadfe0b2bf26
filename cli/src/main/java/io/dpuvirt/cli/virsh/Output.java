package io.dpuvirt.cli.virsh;

import java.io.PrintStream;

/**
 * virsh's two kinds of output: what a command reports ({@link #print}) and its chatter
 * ({@link #printExtra}, "Domain 'x' started"), which {@code --quiet} silences; errors go to stderr.
 */
final class Output {
    private final PrintStream out;
    private final PrintStream err;
    private final boolean quiet;

    Output(PrintStream out, PrintStream err, boolean quiet) {
        this.out = out;
        this.err = err;
        this.quiet = quiet;
    }

    boolean quiet() {
        return quiet;
    }

    void print(String text) {
        out.print(text);
    }

    void printExtra(String text) {
        if (!quiet) {
            out.print(text);
        }
    }

    void error(String line) {
        out.flush();
        err.println("error: " + line);
        err.flush();
    }

    /** Raw bytes, for a console. */
    void write(byte[] bytes) {
        out.write(bytes, 0, bytes.length);
        out.flush();
    }

    void flush() {
        out.flush();
    }
}
