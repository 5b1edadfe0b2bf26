package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.fs.CanonicalPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Which local listening sockets this side offers the peer: those whose canonical path lies under
 * {@code [Udsconnect]}, that are socket files, and that are not this daemon's own mirrors. Work is redone only
 * when the socket table, the whitelist or the mirrors changed, when a file under {@code [Udsconnect]} came or went
 * ({@link #invalidate()}: a listening socket's file removed leaves the table as it was), and once a second (for
 * modes changed by chmod).
 */
final class ExportScanner {
    private static final int S_IFMT = 0170000, S_IFSOCK = 0140000;
    private static final long FULL_RESCAN_NANOS = 1_000_000_000L;

    private final UnixSocketTable table;
    private List<ListeningUnixSocket> lastListing = List.of();
    private PathPrefixes lastPrefixes;
    private Set<String> lastOwned = Set.of();
    private long lastFullScan;
    private List<SocketExport> exports = List.of();
    private Set<String> listeningPaths = Set.of();
    private boolean stale = true;

    ExportScanner(UnixSocketTable table) {
        this.table = table;
    }

    List<SocketExport> scan(PathPrefixes udsconnect, Set<String> ownedPaths) throws IOException {
        List<ListeningUnixSocket> listing = table.listening();
        long now = System.nanoTime();
        if (!stale && listing.equals(lastListing) && udsconnect.equals(lastPrefixes) && ownedPaths.equals(lastOwned)
                && now - lastFullScan < FULL_RESCAN_NANOS) {
            return exports;
        }
        stale = false;
        if (!listing.equals(lastListing)) {
            listeningPaths = listing.stream().map(ListeningUnixSocket::path).collect(Collectors.toUnmodifiableSet());
        }
        lastListing = listing;
        lastPrefixes = udsconnect;
        lastOwned = ownedPaths;
        lastFullScan = now;
        Map<String, SocketExport> found = new TreeMap<>();
        for (ListeningUnixSocket socket : listing) {
            if (ownedPaths.contains(socket.path()) || found.containsKey(socket.path())) {
                continue;
            }
            SocketExport export = exportOrNull(socket, udsconnect);
            if (export != null) {
                found.put(socket.path(), export);
            }
        }
        exports = List.copyOf(found.values());
        return exports;
    }

    /** Makes the next scan look at every socket again, whatever did not change. */
    void invalidate() {
        stale = true;
    }

    /** True when {@code path}, as written at bind(), was a listening socket at the last scan. */
    boolean listening(String path) {
        return listeningPaths.contains(path);
    }

    private static SocketExport exportOrNull(ListeningUnixSocket socket, PathPrefixes udsconnect) {
        try {
            Path path = Path.of(socket.path());
            if (!udsconnect.covers(CanonicalPaths.canonical(path))) {
                return null;
            }
            Map<String, Object> attributes = Files.readAttributes(path, "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) attributes.get("mode");
            if ((mode & S_IFMT) != S_IFSOCK) {
                return null;
            }
            return new SocketExport(socket.path(), socket.type(), mode & 07777, (Integer) attributes.get("uid"),
                    (Integer) attributes.get("gid"));
        } catch (IOException | RuntimeException e) {
            return null; // the socket went away (or its path is unusable) between listing and looking
        }
    }
}
