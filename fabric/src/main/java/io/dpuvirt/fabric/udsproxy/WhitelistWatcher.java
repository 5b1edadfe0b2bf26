package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;

/**
 * The whitelist in force, reloaded when its file changes (qtcfg rewrites it atomically, an editor may too).
 * A file that no longer parses is reported and the previous whitelist stays in force: a typo never opens
 * or closes anything by accident.
 */
final class WhitelistWatcher {
    private final Path file;
    private volatile Whitelist current;
    private volatile PathPrefixes resolvedUdsconnect;
    private String fileStamp;

    WhitelistWatcher(Path file) throws ConfigException {
        this.file = file;
        this.fileStamp = stamp();
        this.current = Whitelist.load(file);
        refreshResolved();
    }

    Whitelist current() {
        return current;
    }

    /**
     * {@code [Udsconnect]} with symlinks resolved as of the last {@link #refreshResolved()}: resolving costs a few
     * system calls per entry, so it is done once per scan rather than once per connection.
     */
    PathPrefixes resolvedUdsconnect() {
        return resolvedUdsconnect;
    }

    void refreshResolved() {
        resolvedUdsconnect = current.resolved(Whitelist.Section.UDSCONNECT);
    }

    /** Reloads if the file changed since the last look; returns true when a new whitelist took effect. */
    synchronized boolean reloadIfChanged() {
        String stamp = stamp();
        if (stamp.equals(fileStamp)) {
            return false;
        }
        fileStamp = stamp;
        return reload();
    }

    synchronized boolean reload() {
        try {
            Whitelist loaded = Whitelist.load(file);
            if (!loaded.equals(current)) {
                current = loaded;
                refreshResolved();
                Log.info("whitelist " + file + " reloaded: [Udsconnect] " + loaded.entries(Whitelist.Section.UDSCONNECT).entries());
                return true;
            }
            return false;
        } catch (ConfigException e) {
            Log.error("whitelist not reloaded, the previous one stays in force: " + e.getMessage());
            return false;
        }
    }

    private String stamp() {
        try {
            Map<String, Object> attributes = Files.readAttributes(file, "unix:ino,size,lastModifiedTime,mode", LinkOption.NOFOLLOW_LINKS);
            return attributes.toString();
        } catch (IOException e) {
            return "missing";
        }
    }
}
