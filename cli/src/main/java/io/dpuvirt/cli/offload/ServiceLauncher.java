package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/**
 * Starts a daemon the way a service manager would: in a session of its own (so that neither the terminal nor the
 * end of {@code dpuvirt} reaches it), in /, stdin from /dev/null, stdout and stderr appended to its log, no other
 * descriptor, and an environment of its own rather than the caller's: PATH fixed, the C.UTF-8 locale (so that
 * the JVM reads file names as UTF-8), and where Java is ({@code DPUVIRT_JAVA}, {@code JAVA_HOME}) when the caller
 * says.
 */
final class ServiceLauncher {
    static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static final List<String> PASSED_ON = List.of("DPUVIRT_JAVA", "JAVA_HOME");
    private static final int LOG_MODE = 0600;

    private ServiceLauncher() {
    }

    /** Starts {@code argv} with its output appended to {@code log}; returns it once it runs (pid and start time). */
    static ProcessId start(List<String> argv, Path log) throws IOException {
        int pid;
        try (PosixSpawn spawn = new PosixSpawn().newSession()) {
            spawn.open(0, bytes("/dev/null"), O_RDONLY, 0)
                    .open(1, bytes(log.toString()), O_WRONLY | O_CREAT | O_APPEND, LOG_MODE)
                    .dup2(1, 2)
                    .chdir(bytes("/"))
                    .closeFrom(3);
            pid = spawn.spawn(bytes(argv.getFirst()), argv.stream().map(ServiceLauncher::bytes).toList(),
                    environment().entrySet().stream().map(e -> bytes(e.getKey() + "=" + e.getValue())).toList());
        }
        // read at once: a child that ended is a zombie until reaped, so its /proc entry is still there
        long startTime = ProcessStat.read(pid)
                .orElseThrow(() -> new IOException(argv.getFirst() + " (pid " + pid + ") has no /proc entry right after it was started"))
                .startTime();
        return new ProcessId(pid, startTime);
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
