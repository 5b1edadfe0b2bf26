package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.util.function.Supplier;

/** The whitelist check before each operation: refusals are EACCES to the client and a log line here. */
final class Guard {
    private final Export export;
    private final Supplier<ExportPolicy> policy;
    private final String peer;

    Guard(Export export, Supplier<ExportPolicy> policy, String peer) {
        this.export = export;
        this.policy = policy;
        this.peer = peer;
    }

    /** Whether {@code section} covers the canonical path of {@code relative}, without logging a refusal. */
    boolean allows(Section section, String relative) {
        return policy.get().allows(section, export.canonical(relative));
    }

    /** Throws EACCES unless {@code section} covers the canonical path of {@code relative}. */
    void require(Section section, String relative) throws LinuxException {
        String canonical = export.canonical(relative);
        if (!policy.get().allows(section, canonical)) {
            Log.warn("refused " + section.fileName() + " " + canonical + " for " + peer + ": not under [" + section.fileName() + "]");
            throw new LinuxException("whitelist [" + section.fileName() + "]", canonical, Errno.EACCES);
        }
    }
}
