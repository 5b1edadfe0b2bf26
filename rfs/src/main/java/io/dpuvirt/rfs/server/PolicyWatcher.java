package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The policy in force, re-read when the whitelist file changes (looked at once a second, and at once after
 * {@code qtcfg}). A file that no longer parses is reported and the previous policy stays: a typo neither opens
 * nor closes anything by accident.
 */
public final class PolicyWatcher implements AutoCloseable {
    public static final Duration INTERVAL = Duration.ofSeconds(1);

    private final Path file;
    private volatile ExportPolicy current;
    private volatile boolean running = true;
    private String stamp;

    public PolicyWatcher(Path file) throws ConfigException {
        this.file = file;
        this.stamp = stamp();
        this.current = load(file);
        Thread.ofPlatform().daemon().name("rfs-whitelist").start(this::watch);
    }

    /** The original refuses to start without the file or without its [Mount] section; so does rfs. */
    static ExportPolicy load(Path file) throws ConfigException {
        Whitelist whitelist = Whitelist.load(file);
        if (!whitelist.has(Whitelist.Section.MOUNT)) {
            throw new ConfigException(file, 0, "has no [Mount] section: nothing could be mounted (add [Mount] Path=/dir)");
        }
        return ExportPolicy.of(whitelist);
    }

    public ExportPolicy current() {
        return current;
    }

    private void watch() {
        while (running) {
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException e) {
                return;
            }
            reloadIfChanged();
        }
    }

    /** Re-reads the file if its modification time, size or inode changed; true when a new policy is in force. */
    public synchronized boolean reloadIfChanged() {
        String now = stamp();
        if (now.equals(stamp)) {
            return false;
        }
        stamp = now;
        try {
            current = load(file);
            Log.info("whitelist " + file + " reloaded");
            return true;
        } catch (ConfigException e) {
            Log.error("whitelist " + file + " not reloaded, the previous one stays in force: " + e.getMessage());
            return false;
        }
    }

    private String stamp() {
        try {
            return Files.getLastModifiedTime(file, LinkOption.NOFOLLOW_LINKS) + "/" + Files.size(file) + "/"
                    + Files.getAttribute(file, "unix:ino", LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException e) {
            return "missing";
        }
    }

    @Override
    public void close() {
        running = false;
    }
}
