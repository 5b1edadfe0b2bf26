package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.DirectoryLock;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** {@link DirectoryLock}s of several directories, taken in the order given and let go together. */
record DirectoryLocks(List<DirectoryLock> held) implements AutoCloseable {
    DirectoryLocks {
        held = List.copyOf(held);
    }

    /** Locks each of {@code directories} that exists, in order, waiting for a command that holds one. */
    static DirectoryLocks acquire(List<Path> directories, PrintStream err) throws IOException {
        List<DirectoryLock> held = new ArrayList<>();
        try {
            for (Path directory : directories) {
                acquire(directory, err).ifPresent(held::add);
            }
        } catch (IOException | RuntimeException e) {
            held.forEach(DirectoryLock::close);
            throw e;
        }
        return new DirectoryLocks(held);
    }

    /**
     * Locks {@code directory}, waiting for a command that holds it (said once on {@code err}); empty when there is no
     * such directory.
     */
    static Optional<DirectoryLock> acquire(Path directory, PrintStream err) throws IOException {
        return DirectoryLock.acquire(directory, () -> err.println("dpuvirt: another offload up or down runs on this side"
                + " (it holds " + directory + "): waiting for it to end"));
    }

    @Override
    public void close() {
        held.forEach(DirectoryLock::close);
    }
}
