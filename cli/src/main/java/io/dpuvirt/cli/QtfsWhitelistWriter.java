package io.dpuvirt.cli;

import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.OpenFlags;
import io.dpuvirt.fabric.udsproxy.StatusServer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Changes to {@code /etc/qtfs/whitelist} as qtcfg makes them: written atomically (so that the change survives a
 * restart and a reader never sees half a file), then a running udsproxyd is told to reload at once instead of at its
 * next look at the file.
 */
public final class QtfsWhitelistWriter {
    private QtfsWhitelistWriter() {
    }

    /** A change's hold on the whitelist's directory; closing it lets the next change read the file. */
    public interface Lock extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * Locks {@code file}'s directory (flock(2)) for a change that reads the file and writes it back: two at once
     * (two qtcfg, qtcfg and offload up) would otherwise each write what it read, and one change would be lost. The
     * file itself cannot be locked, as each write replaces it. Nothing to lock when the directory does not exist yet.
     */
    public static Lock lock(Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            return () -> { };
        }
        int fd = Libc.open(parent.toString(), OpenFlags.O_RDONLY | OpenFlags.O_DIRECTORY | OpenFlags.O_CLOEXEC, 0);
        try {
            FileCalls.flock(fd, FileCalls.LOCK_EX);
        } catch (LinuxException e) {
            Libc.close(fd);
            throw e;
        }
        return () -> Libc.close(fd); // the lock goes with the descriptor
    }

    /** Writes {@code content} to {@code file}; a new file gets 0600 (its directory 0755), an existing one keeps its mode. */
    public static void write(Path file, KeyFile content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        AtomicFiles.edit(file, content.render());
    }

    /** Tells the udsproxyd whose status socket is {@code statusSocket} to reload; why it did not answer, if it runs. */
    public static Optional<String> notifyDaemon(Path statusSocket) {
        if (!Files.exists(statusSocket)) {
            return Optional.empty();
        }
        try {
            StatusServer.ask(statusSocket, "reload");
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("the file is updated, but udsproxyd did not answer at " + statusSocket + " (" + e.getMessage()
                    + "); it will pick the change up by itself if it runs");
        }
    }
}
