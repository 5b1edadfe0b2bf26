package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.host.Host;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/** The last lines a hypervisor wrote to its log: why it failed to start, for the error the client sees. */
final class LogTail {
    private static final int LINES = 3;

    private LogTail() {
    }

    static String of(Host host, Path log) {
        try {
            List<String> lines = new String(host.readFile(log), StandardCharsets.UTF_8).strip().lines().toList();
            return lines.isEmpty() ? "(nothing in " + log + ")"
                    : String.join("\n", lines.subList(Math.max(0, lines.size() - LINES), lines.size()));
        } catch (IOException e) {
            return "(cannot read its log " + log + ": " + e.getMessage() + ")";
        }
    }
}
