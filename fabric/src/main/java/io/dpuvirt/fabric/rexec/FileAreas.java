package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.fs.CanonicalPaths;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Where file requests may reach on the server's machine. A client that could name any file as root would own the
 * machine (one line in /etc/cron.d), so every request is confined: changes to the state directories
 * ({@code --state-dir}, none by default), reads to those, the detached programs' output directories and the
 * {@code --readable} ones, plus a few files of host facts; existence checks to all of that and a few device nodes.
 *
 * <p>A path must be absolute without {@code .} or {@code ..} components. It is resolved to its canonical form
 * (a final symlink followed by reads and existence checks only: a change acts on the link itself) and must be one
 * of the allowed directories or beneath it, by whole components, or one of the fixed files. The result is a {@link Location}: the directory as it resolved
 * and the names below it, which {@link FileOperations} opens beneath that directory without following any symlink,
 * so that a symlink swapped in after this check leads nowhere.
 */
final class FileAreas {
    /** What virtd reads of the host: its CPUs, memory, name and architecture. */
    private static final List<Path> HOST_FILES = paths("/proc/cpuinfo", "/proc/meminfo", "/proc/stat", "/etc/hostname",
            "/proc/sys/kernel/hostname", "/proc/sys/kernel/arch");
    /** What virtd checks the presence of: KVM, vhost-net, tap devices, VFIO. */
    private static final List<Path> DEVICES = paths("/dev/kvm", "/dev/vhost-net", "/dev/net/tun", "/dev/vfio/vfio");

    /** What a request does, which decides where it may. */
    enum Access {
        READ, EXISTS, CREATE_DIRECTORIES, CHANGE
    }

    /**
     * A path as the server resolved it: {@code root}, a directory, and the names beneath it (none: the root itself).
     *
     * @param path the path as the client named it, for messages
     */
    record Location(String path, Path root, List<String> names) {
        Location {
            names = List.copyOf(names);
        }

        /** What openat2 resolves beneath the root to reach the location. */
        String relative() {
            return joined(names);
        }

        /** The last name; a {@link Access#CHANGE} location has one. */
        String name() {
            return names.getLast();
        }

        List<String> parentNames() {
            return names.subList(0, names.size() - 1);
        }

        /** What openat2 resolves beneath the root to reach the location's directory. */
        String parent() {
            return joined(parentNames());
        }

        private static String joined(List<String> names) {
            return names.isEmpty() ? "." : String.join("/", names);
        }
    }

    private final AllowedDirectories state;
    private final AllowedDirectories readable;

    FileAreas(List<Path> stateDirectories, List<Path> outputDirectories, List<Path> readableDirectories) {
        this.state = new AllowedDirectories(stateDirectories);
        List<Path> all = new ArrayList<>(stateDirectories);
        all.addAll(outputDirectories);
        all.addAll(readableDirectories);
        this.readable = new AllowedDirectories(all);
    }

    /** Where {@code path} is, if {@code access} may reach it there; else a refusal naming the path and why. */
    Location locate(String path, Access access) throws IOException {
        Path requested = validated(path);
        Path canonical = access == Access.CHANGE
                ? CanonicalPaths.canonical(requested.getParent()).resolve(requested.getFileName())
                : CanonicalPaths.canonical(requested);
        Optional<Location> location = switch (access) {
            case READ -> beneath(readable, path, canonical).or(() -> file(HOST_FILES, path, canonical));
            case EXISTS -> beneath(readable, path, canonical).or(() -> file(HOST_FILES, path, canonical)).or(() -> file(DEVICES, path, canonical));
            case CREATE_DIRECTORIES, CHANGE -> beneath(state, path, canonical);
        };
        if (location.isEmpty()) {
            throw RequestRefusedException.refused(shown(path, canonical) + " is not " + where(access));
        }
        if (access == Access.CHANGE && location.get().names().isEmpty()) {
            throw RequestRefusedException.refused(shown(path, canonical) + " is a state directory itself, not beneath one");
        }
        return location.get();
    }

    private static Path validated(String path) throws RequestRefusedException {
        try {
            String normalized = PathPrefixes.normalize(path);
            if (normalized.equals("/")) {
                throw new IllegalArgumentException("/ is no file request's business");
            }
            return Path.of(normalized);
        } catch (IllegalArgumentException e) {
            throw RequestRefusedException.refused(e.getMessage());
        }
    }

    private static Optional<Location> beneath(AllowedDirectories directories, String path, Path canonical) {
        return directories.holding(canonical).map(root -> new Location(path, root, names(root.relativize(canonical))));
    }

    /**
     * One of {@code files} (as it resolves now: /etc/hostname may be a symlink), located beneath its directory. A
     * missing one is matched too: a machine without KVM has no /dev/kvm, which an existence check is there to tell.
     */
    private static Optional<Location> file(List<Path> files, String path, Path canonical) {
        for (Path file : files) {
            try {
                if (CanonicalPaths.canonical(file).equals(canonical)) {
                    return Optional.of(new Location(path, canonical.getParent(), List.of(canonical.getFileName().toString())));
                }
            } catch (IOException e) {
                // a symlink loop on the way: not this file
            }
        }
        return Optional.empty();
    }

    private static List<String> names(Path relative) {
        List<String> names = new ArrayList<>();
        relative.forEach(name -> names.add(name.toString()));
        return names.size() == 1 && names.getFirst().isEmpty() ? List.of() : names; // "" is the root itself
    }

    /** The path, and what it resolved to when that differs (the way a symlink led). */
    private static String shown(String path, Path canonical) {
        return canonical.toString().equals(path) ? path : path + " (" + canonical + ")";
    }

    private String where(Access access) {
        return switch (access) {
            case READ -> "beneath a state, output or readable directory (--state-dir, --output-dir, --readable: " + readable.describe()
                    + ") nor a file of host facts (" + list(HOST_FILES) + ")";
            case EXISTS -> "beneath a state, output or readable directory (--state-dir, --output-dir, --readable: " + readable.describe()
                    + ") nor a file of host facts or a device (" + list(HOST_FILES) + ", " + list(DEVICES) + ")";
            case CREATE_DIRECTORIES, CHANGE -> "beneath a state directory (--state-dir: " + state.describe() + ")";
        };
    }

    private static String list(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    private static List<Path> paths(String... paths) {
        return Arrays.stream(paths).map(Path::of).toList();
    }
}
