package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Directories of rexec_server's configuration beneath which clients may name files ({@code --output-dir},
 * {@code --state-dir}, {@code --readable}). Everything is compared in canonical form and by whole components
 * ({@link Path#startsWith(Path)}: {@code /var/log} does not hold {@code /var/logs}): a requested path as
 * {@code CanonicalPaths} resolves it, the directories as they resolve at that moment (they may be created or moved
 * while the server runs; a missing one holds nothing), and what a descriptor actually opened as /proc/self/fd names
 * it, which is how a symlink swapped in after the check is caught.
 */
final class AllowedDirectories {
    private final List<Path> configured;

    AllowedDirectories(List<Path> configured) {
        this.configured = List.copyOf(configured);
    }

    /** The directory, resolved now, that is {@code canonical} itself or holds it. */
    Optional<Path> holding(Path canonical) {
        for (Path directory : configured) {
            try {
                Path resolved = directory.toRealPath();
                if (canonical.startsWith(resolved)) {
                    return Optional.of(resolved);
                }
            } catch (IOException e) {
                // not there: nothing can be in it
            }
        }
        return Optional.empty();
    }

    /** Whether {@code canonical} is beneath one of the directories (not one of them itself). */
    boolean holdsBeneath(Path canonical) {
        return holding(canonical).filter(directory -> !directory.equals(canonical)).isPresent();
    }

    /** For messages: the directories as configured, or "none". */
    String describe() {
        return configured.isEmpty() ? "none" : configured.stream().map(Path::toString).collect(Collectors.joining(", "));
    }

    /** What descriptor {@code fd} refers to, as the kernel names it. */
    static Path opened(int fd) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(fd)));
    }
}
