package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything one udsproxyd needs: how to reach the peer, the key ({@code null} only in the explicitly insecure
 * mode), the whitelist file, explicit mappings, and the directory for its lock, status socket and state.
 */
public record UdsproxyConfig(Transport transport, LinkKey key, Path whitelistFile, List<PathMapping> mappings, Path runDirectory) {
    public static final Path DEFAULT_RUN_DIRECTORY = Path.of("/var/run/qtfs");

    public UdsproxyConfig {
        mappings = List.copyOf(mappings);
    }

    public Path lockFile() {
        return runDirectory.resolve("udsproxyd.lock");
    }

    public Path statusSocket() {
        return runDirectory.resolve("udsproxyd.sock");
    }

    public Path mirrorStateFile() {
        return runDirectory.resolve("udsproxyd.mirrors");
    }
}
