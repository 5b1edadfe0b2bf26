package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.host.Host;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.ProcessSpec;
import io.dpuvirt.virt.host.Stdio;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hypervisor's version as libvirt encodes it (major × 1,000,000 + minor × 1,000 + micro), from the
 * first {@code X.Y.Z} its version option prints ({@code QEMU emulator version 7.2.22 (Debian …)}). Asked
 * once, the first time a client wants it, so that the daemon's start does not wait for it; 0 when the
 * program cannot say.
 */
final class EmulatorVersion {
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)\\.(\\d+)");
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final Host host;
    private final String program;
    private final String flag;
    private final Path output;
    private Long version;

    EmulatorVersion(Host host, String program, String flag, Path output) {
        this.host = host;
        this.program = program;
        this.flag = flag;
        this.output = output;
    }

    synchronized long get() {
        if (version == null) {
            version = probe();
        }
        return version;
    }

    static long parse(String text) {
        Matcher m = VERSION.matcher(text);
        return m.find() ? Long.parseLong(m.group(1)) * 1_000_000 + Long.parseLong(m.group(2)) * 1_000
                + Long.parseLong(m.group(3)) : 0;
    }

    private long probe() {
        try {
            host.deleteFile(output); // the spawn makes its directory
            HostProcess process = host.spawn(ProcessSpec.of(List.of(program, flag))
                    .withStdio(Stdio.none(), Stdio.appendTo(output), Stdio.none()));
            if (process.waitFor(PATIENCE).isEmpty()) {
                Log.warn("'" + program + " " + flag + "' did not answer within " + PATIENCE.toSeconds() + " s");
                return 0;
            }
            long parsed = parse(new String(host.readFile(output), StandardCharsets.UTF_8));
            host.deleteFile(output);
            return parsed;
        } catch (IOException e) {
            Log.warn("cannot ask " + program + " its version: " + e.getMessage());
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }
}
