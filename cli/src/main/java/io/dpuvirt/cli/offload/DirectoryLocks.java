package io.dpuvirt.cli.offload;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
                DirectoryLock.acquire(directory, err).ifPresent(held::add);
            }
        } catch (IOException | RuntimeException e) {
            held.forEach(DirectoryLock::close);
            throw e;
        }
        return new DirectoryLocks(held);
    }

    @Override
    public void close() {
        held.forEach(DirectoryLock::close);
    }
}
