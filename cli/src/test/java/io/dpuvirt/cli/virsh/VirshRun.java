package io.dpuvirt.cli.virsh;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/** One run of {@link Virsh} in this JVM: its exit status and what it printed. */
record VirshRun(int status, String out, String err) {
    /** A daemon that is not there: enough for what virsh finds wrong before it connects. */
    static final String NO_DAEMON = "test:///default?socket=/nonexistent/virtd-sock";

    static VirshRun run(String uri, String... arguments) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = new Virsh().execute(Optional.of(uri), false, false, List.of(arguments),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new VirshRun(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
