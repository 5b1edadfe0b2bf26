package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Which program a request may start. argv[0] is an absolute path, or a bare name looked up in a fixed PATH of the
 * server's (never the client's). Either way the path is resolved to its canonical form (every symlink, {@code .}
 * and {@code ..} gone) and must equal the canonical form of a whitelist entry; the server then executes that
 * canonical path, so a symlink swapped after the check cannot redirect it.
 */
final class ProgramPolicy {
    /** Where bare names are looked up, and the PATH every program gets. */
    static final String SAFE_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    static final int NOT_ALLOWED = 126, NOT_FOUND = 127;

    private final WhitelistFile whitelist;

    private ProgramPolicy(WhitelistFile whitelist) {
        this.whitelist = whitelist;
    }

    static ProgramPolicy checking(WhitelistFile whitelist) {
        return new ProgramPolicy(whitelist);
    }

    /** Any program may run: for tests only, and rexec_server says so loudly. */
    static ProgramPolicy allowingAnyProgram() {
        return new ProgramPolicy(null);
    }

    /** The canonical path to execute for {@code name}, or a refusal naming the program and the reason. */
    byte[] resolve(ByteString name) throws SpawnFailedException {
        byte[] candidate = locate(name);
        byte[] canonical;
        try {
            canonical = Libc.realpath(candidate);
        } catch (LinuxException e) {
            throw e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)
                    ? new SpawnFailedException(NOT_FOUND, name + ": no such file on the server")
                    : new SpawnFailedException(NOT_ALLOWED, name + ": cannot resolve: " + Errno.describe(e.errno()));
        }
        if (whitelist != null) {
            check(name, canonical);
        }
        return canonical;
    }

    private static byte[] locate(ByteString name) throws SpawnFailedException {
        if (name.indexOf((byte) '/') < 0) {
            for (String directory : SAFE_PATH.split(":")) {
                byte[] candidate = ByteString.of(directory + "/").concat(name).toByteArray();
                try {
                    Libc.realpath(candidate);
                    return candidate;
                } catch (LinuxException e) {
                    // not in this directory
                }
            }
            throw new SpawnFailedException(NOT_FOUND, name + ": not found on the server (PATH " + SAFE_PATH + ")");
        }
        if (name.byteAt(0) != '/') {
            throw new SpawnFailedException(NOT_ALLOWED, name + ": a program is an absolute path or a bare name, not a relative path");
        }
        return name.toByteArray();
    }

    private void check(ByteString name, byte[] canonical) throws SpawnFailedException {
        WhitelistFile.Entries entries = whitelist.current();
        if (entries.problem() != null) {
            throw new SpawnFailedException(NOT_ALLOWED, name + ": refused, " + entries.problem() + " (no program may run)");
        }
        for (byte[] entry : entries.paths()) {
            if (Arrays.equals(canonical, canonicalOrNull(entry))) {
                return;
            }
        }
        String shown = new String(canonical, StandardCharsets.UTF_8);
        throw new SpawnFailedException(NOT_ALLOWED, name + ": not allowed, "
                + (shown.equals(name.toString()) ? "" : "it is " + shown + ", which is ") + "not in the whitelist " + whitelist.file());
    }

    private static byte[] canonicalOrNull(byte[] entry) {
        try {
            return Libc.realpath(entry);
        } catch (LinuxException e) {
            return null; // an entry for a program that is not installed allows nothing
        }
    }

    /** For the log: the whitelist in force. */
    String describe() {
        return whitelist == null ? "INSECURE: any program may run (--insecure-no-whitelist)" : "whitelist " + whitelist.file();
    }
}
