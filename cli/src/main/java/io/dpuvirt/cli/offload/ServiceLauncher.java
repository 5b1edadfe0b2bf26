package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/**
 * Starts a daemon the way a service manager would: in a session of its own (so that neither the terminal nor the
 * end of {@code dpuvirt} reaches it), in /, stdin from /dev/null, stdout and stderr appended to its log, no other
 * descriptor, and an environment of its own rather than the caller's: PATH fixed, the C.UTF-8 locale (so that
 * the JVM reads file names as UTF-8), and where Java is ({@code DPUVIRT_JAVA}, {@code JAVA_HOME}) when the caller
 * says.
 *
 * <p>It is started held ({@link HeldDaemon}): a /bin/sh that execs the daemon only once it reads a line from a pipe,
 * so that the caller writes the daemon's pid file first. {@code up} may crash or be killed between the spawn and the
 * pid file; a daemon started then would run on unknown to the next {@code up} (which would stop, taking it for another
 * server on its socket) and to {@code down}. Held, it cannot: the dead caller's end of the pipe closes, and the shell
 * exits without running the daemon. Recording the intent in the state file and recognising the daemon afterwards
 * would be a guess: the launchers in bin/ exec a JVM, so the command line found in /proc is not the one started, and a
 * daemon that has not bound its socket yet holds none. exec keeps the pid and the start time: the pid file written
 * before it names the daemon.
 */
final class ServiceLauncher {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> PASSED_ON = List.of("DPUVIRT_JAVA", "JAVA_HOME");
    private static final int LOG_MODE = 0600;
    private static final String SHELL = "/bin/sh";
    /** Waits for the caller's line, then runs the daemon ("$@") with stdin from /dev/null; $0 names it in errors. */
    private static final List<String> HOLDING_SHELL = List.of(SHELL, "-c", "read -r released && exec \"$@\" </dev/null",
            "dpuvirt-offload");

    private ServiceLauncher() {
    }

    /**
     * Spawns {@code argv}, held, with its output appended to {@code log}: it runs its program once
     * {@link HeldDaemon#release released}, and never if it is closed first.
     */
    static HeldDaemon spawnHeld(List<String> argv, Path log) throws IOException {
        int[] gate = Libc.pipe2(O_CLOEXEC);
        try (PosixSpawn spawn = new PosixSpawn().newSession()) {
            spawn.dup2(gate[0], 0)
                    .open(1, bytes(log.toString()), O_WRONLY | O_CREAT | O_APPEND, LOG_MODE)
                    .dup2(1, 2)
                    .chdir(bytes("/"))
                    .closeFrom(3);
            List<String> held = new ArrayList<>(HOLDING_SHELL);
            held.addAll(argv);
            int pid = spawn.spawn(bytes(SHELL), held.stream().map(ServiceLauncher::bytes).toList(),
                    environment().entrySet().stream().map(e -> bytes(e.getKey() + "=" + e.getValue())).toList());
            // read at once: a child that ended is a zombie until reaped, so its /proc entry is still there
            long startTime = ProcessStat.read(pid)
                    .orElseThrow(() -> new IOException(argv.getFirst() + " (pid " + pid + ") has no /proc entry right after it was started"))
                    .startTime();
            return new HeldDaemon(new ProcessId(pid, startTime), gate[1]);
        } catch (IOException | RuntimeException e) {
            Libc.close(gate[1]);
            throw e;
        } finally {
            Libc.close(gate[0]);
        }
    }

    private static Map<String, String> environment() {
        Map<String, String> environment = new TreeMap<>();
        environment.put("PATH", PATH);
        environment.put("LANG", "C.UTF-8");
        for (String name : PASSED_ON) {
            String value = System.getenv(name);
            if (value != null) {
                environment.put(name, value);
            }
        }
        return environment;
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
