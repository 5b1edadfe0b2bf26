package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;

/**
 * Keeps the local mirrors equal to what should be mirrored: creates missing ones (and the directories they need),
 * withdraws those no longer wanted, and steps aside for local files. What it created is listed in a state file so
 * that after a kill -9 the next start removes exactly those leftovers and nothing else.
 */
final class MirrorManager {
    private final Path stateFile;
    private final Executor threads;
    private final BiConsumer<Mirror, NativeSocket> onClient;
    private final Map<String, Mirror> mirrors = new TreeMap<>();
    private final Map<String, String> shadowed = new TreeMap<>();
    private final Set<Path> createdDirectories = new LinkedHashSet<>();

    MirrorManager(Path stateFile, Executor threads, BiConsumer<Mirror, NativeSocket> onClient) {
        this.stateFile = stateFile;
        this.threads = threads;
        this.onClient = onClient;
    }

    /** One mirror as the status view shows it. */
    record Entry(String localPath, String remotePath, String type, long accepted) {
    }

    /** Makes the mirrors exactly {@code desired} (local path → what it stands for). */
    synchronized void reconcile(Map<String, SocketExport> desired) {
        boolean changed = false;
        for (String path : new ArrayList<>(mirrors.keySet())) {
            SocketExport wanted = desired.get(path);
            if (wanted == null || !wanted.equals(mirrors.get(path).remote())) {
                withdraw(path, wanted == null ? "no longer offered by the peer" : "changed on the peer");
                changed = true;
            }
        }
        shadowed.keySet().retainAll(desired.keySet());
        for (Map.Entry<String, SocketExport> entry : desired.entrySet()) {
            String path = entry.getKey();
            if (!mirrors.containsKey(path)) {
                changed |= create(path, entry.getValue());
            }
        }
        if (changed) {
            removeEmptyCreatedDirectories();
            persist();
        }
    }

    private boolean create(String path, SocketExport remote) {
        Path file = Path.of(path);
        if (Mirror.fileKeyOrNull(file) != null) {
            if (shadowed.put(path, "a local file is at this path") == null) {
                Log.info("not mirroring " + path + ": a local file is there (it is never hidden or removed)");
            }
            return false;
        }
        try {
            createParents(file.getParent());
            mirrors.put(path, Mirror.open(path, remote, threads, onClient));
            shadowed.remove(path);
            Log.info("mirroring " + path + (path.equals(remote.path()) ? "" : " -> peer's " + remote.path()) + " (" + remote.type().name().toLowerCase() + ")");
            return true;
        } catch (IOException e) {
            if (shadowed.put(path, e.getMessage()) == null) {
                Log.warn("cannot mirror " + path + ": " + e.getMessage());
            }
            return false;
        }
    }

    private void createParents(Path directory) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path d = directory; d != null && !Files.exists(d); d = d.getParent()) {
            missing.addFirst(d);
        }
        for (Path d : missing) {
            Files.createDirectory(d, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
            createdDirectories.add(d);
        }
    }

    private void withdraw(String path, String reason) {
        Mirror mirror = mirrors.remove(path);
        mirror.stop();
        Log.info("withdrew mirror " + path + ": " + reason);
    }

    /** Withdraws mirrors whose socket file someone replaced (a local server bound the path): theirs wins. */
    synchronized void yieldToLocalFiles() {
        boolean changed = false;
        for (Mirror mirror : new ArrayList<>(mirrors.values())) {
            if (!mirror.ownsPath()) {
                withdraw(mirror.localPath(), "the path now holds a local file");
                shadowed.put(mirror.localPath(), "a local file is at this path");
                changed = true;
            }
        }
        if (changed) {
            persist();
        }
    }

    /** The local paths of current mirrors: never exported back to the peer. */
    synchronized Set<String> ownedPaths() {
        return Set.copyOf(mirrors.keySet());
    }

    synchronized List<Entry> entries() {
        return mirrors.values().stream()
                .map(m -> new Entry(m.localPath(), m.remote().path(), m.remote().type().name().toLowerCase(), m.accepted()))
                .toList();
    }

    synchronized Map<String, String> shadowed() {
        return Map.copyOf(shadowed);
    }

    /** Withdraws every mirror and removes the directories made for them (a clean stop leaves nothing behind). */
    synchronized void removeAll() {
        for (String path : new ArrayList<>(mirrors.keySet())) {
            withdraw(path, "stopping");
        }
        shadowed.clear();
        removeEmptyCreatedDirectories();
        persist();
    }

    private void removeEmptyCreatedDirectories() {
        List<Path> deepestFirst = new ArrayList<>(createdDirectories).reversed();
        for (Path directory : deepestFirst) {
            if (removeIfEmpty(directory)) {
                createdDirectories.remove(directory);
            }
        }
    }

    private static boolean removeIfEmpty(Path directory) {
        try {
            Files.delete(directory);
            return true;
        } catch (NoSuchFileException e) {
            return true;
        } catch (DirectoryNotEmptyException e) {
            return false;
        } catch (IOException e) {
            Log.warn("cannot remove directory " + directory + ": " + e.getMessage());
            return false;
        }
    }

    private void persist() {
        StringBuilder state = new StringBuilder();
        for (Mirror mirror : mirrors.values()) {
            state.append("mirror ").append(mirror.fileKey()).append(' ').append(mirror.localPath()).append('\n');
        }
        for (Path directory : createdDirectories) {
            state.append("dir ").append(directory).append('\n');
        }
        try {
            if (state.isEmpty()) {
                Files.deleteIfExists(stateFile);
            } else {
                AtomicFiles.write(stateFile, state.toString(), PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            Log.error("cannot record mirrors in " + stateFile + ": " + e.getMessage());
        }
    }

    /**
     * After a crash: removes the socket files and directories a previous instance recorded, but only a socket file
     * that is still the one it bound (same device and inode) and only empty directories.
     */
    static void removeLeftovers(Path stateFile) throws IOException {
        if (!Files.exists(stateFile)) {
            return;
        }
        List<Path> directories = new ArrayList<>();
        int removed = 0;
        for (String line : Files.readAllLines(stateFile)) {
            String[] fields = line.split(" ", 3);
            if (fields[0].equals("mirror") && fields.length == 3) {
                Path path = Path.of(fields[2]);
                if (fields[1].equals(Mirror.fileKeyOrNull(path))) {
                    Files.deleteIfExists(path);
                    removed++;
                }
            } else if (fields[0].equals("dir") && fields.length == 2) {
                directories.add(Path.of(line.substring(4)));
            }
        }
        for (Path directory : directories.reversed()) {
            removeIfEmpty(directory);
        }
        Files.delete(stateFile);
        if (removed > 0) {
            Log.info("removed " + removed + " mirror socket(s) left by a previous instance");
        }
    }
}
