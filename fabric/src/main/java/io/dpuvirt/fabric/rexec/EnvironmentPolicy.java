package io.dpuvirt.fabric.rexec;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The environment a program gets: the client's, minus the variables that make a program load or run code other
 * than its own (the dynamic loader's LD_*, what glibc drops for setuid programs, shell start-up files and exported
 * functions, interpreters' module paths and JVM agent options), and with the server's fixed PATH. Without this a
 * whitelisted program would run whatever a client pointed LD_PRELOAD or BASH_ENV at, as root.
 */
final class EnvironmentPolicy {
    private static final Set<String> DROPPED = Set.of(
            // glibc's list of variables unsafe for privileged programs (UNSECURE_ENVVARS), beside all LD_*
            "GCONV_PATH", "GETCONF_DIR", "GLIBC_TUNABLES", "HOSTALIASES", "LOCALDOMAIN", "LOCPATH", "MALLOC_TRACE",
            "NIS_PATH", "NLSPATH", "RESOLV_HOST_CONF", "RES_OPTIONS", "TMPDIR", "TZDIR",
            // shells
            "BASH_ENV", "ENV", "SHELLOPTS", "BASHOPTS", "PS4", "IFS", "CDPATH", "GLOBIGNORE",
            // interpreters and runtimes
            "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONINSPECT", "PERL5LIB", "PERLLIB", "PERL5OPT", "RUBYLIB",
            "RUBYOPT", "NODE_OPTIONS", "NODE_PATH", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS");
    private static final List<String> DROPPED_PREFIXES = List.of("LD_", "BASH_FUNC_");

    private EnvironmentPolicy() {
    }

    /** The entries to pass, and the names that were dropped (for the log). */
    record Filtered(List<byte[]> environment, List<String> dropped) {
    }

    static Filtered apply(List<ByteString> requested) {
        List<byte[]> kept = new ArrayList<>();
        List<String> dropped = new ArrayList<>();
        for (ByteString entry : requested) {
            int equals = entry.indexOf((byte) '=');
            if (equals <= 0) {
                continue; // not NAME=value: no program could read it
            }
            String name = entry.substring(0, equals).toString();
            if (name.equals("PATH")) {
                continue;
            }
            if (DROPPED.contains(name) || DROPPED_PREFIXES.stream().anyMatch(name::startsWith)) {
                dropped.add(name);
            } else {
                kept.add(entry.toByteArray());
            }
        }
        kept.add(("PATH=" + ProgramPolicy.SAFE_PATH).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        return new Filtered(kept, dropped);
    }
}
