package io.dpuvirt.cli.virsh;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** One run of {@link Virsh} in this JVM: its exit status and what it printed. */
record VirshRun(int status, String out, String err) {
    /** A daemon that is not there: enough for what virsh finds wrong before it connects, or fails to. */
    static final String NO_DAEMON = "test:///default?socket=/nonexistent/virtd-sock";

    /** Virsh with {@code arguments}, its shell's input empty. */
    static VirshRun run(String uri, String... arguments) {
        return run(uri, false, new CommandInput(InputStream.nullInputStream(), () -> false), arguments);
    }

    /** Virsh's shell reading {@code typed}, on a terminal or not. */
    static VirshRun shell(String uri, boolean quiet, boolean terminal, String typed) {
        return run(uri, quiet, new CommandInput(new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), () -> terminal));
    }

    private static VirshRun run(String uri, boolean quiet, CommandInput input, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Virsh(input).execute(Optional.of(uri), false, quiet, List.of(arguments),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new VirshRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
