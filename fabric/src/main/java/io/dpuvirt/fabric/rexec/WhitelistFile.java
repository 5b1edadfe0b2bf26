package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.ProgramList;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code /etc/rexec/whitelist} as rexec_server uses it (the format: {@link ProgramList}).
 *
 * <p>It is read again when it changes (content, owner or mode), so an edit applies to the next request; a change
 * that makes it unusable refuses every request until it is fixed.
 */
final class WhitelistFile {
    private final Path file;
    private Map<String, Object> loadedVersion;
    private List<byte[]> entries = List.of();
    private String problem;
    /** Why the file as it is now cannot be used (unsafe, malformed, unreadable); null when usable or missing. */
    private ConfigException failure;

    private WhitelistFile(Path file) {
        this.file = file;
    }

    /** Loads the file; one that exists but is unsafe or malformed stops the server from starting. */
    static WhitelistFile load(Path file) throws ConfigException {
        WhitelistFile whitelist = new WhitelistFile(file);
        whitelist.reloadIfChanged();
        if (whitelist.failure != null) {
            throw whitelist.failure;
        }
        return whitelist;
    }

    Path file() {
        return file;
    }

    /** The entries as written, or why there are none to go by (missing, unsafe, malformed): then nothing may run. */
    synchronized Entries current() {
        reloadIfChanged();
        return new Entries(entries, problem);
    }

    /** What a request is checked against. */
    record Entries(List<byte[]> paths, String problem) {
    }

    private void reloadIfChanged() {
        Map<String, Object> version;
        try {
            version = Files.readAttributes(file, "unix:ino,dev,size,lastModifiedTime,ctime,mode,uid");
        } catch (NoSuchFileException e) {
            if (loadedVersion != null || problem == null) {
                Log.warn("whitelist " + file + " does not exist: every program is refused");
            }
            loadedVersion = null;
            entries = List.of();
            problem = "the whitelist " + file + " does not exist";
            failure = null;
            return;
        } catch (IOException e) {
            failure = new ConfigException(file, 0, "cannot read: " + e.getMessage());
            problem = failure.getMessage();
            return;
        }
        if (version.equals(loadedVersion)) {
            return;
        }
        loadedVersion = version;
        try {
            ProgramList.refuseUnsafe(file);
            entries = ProgramList.parse(file, Files.readAllBytes(file));
            problem = null;
            failure = null;
            Log.info("whitelist " + file + ": " + entries.size() + " program(s)");
        } catch (ConfigException e) {
            refuseAll(e);
        } catch (IOException e) {
            refuseAll(new ConfigException(file, 0, "cannot read: " + e.getMessage()));
        }
    }

    private void refuseAll(ConfigException why) {
        entries = List.of();
        failure = why;
        problem = "the whitelist is unusable: " + why.getMessage();
        Log.error(problem + "; every program is refused");
    }
}
