package io.dpuvirt.cli;

import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.fs.AtomicFiles;
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

    /** Writes {@code content} to {@code file}; a new file gets 0600 (its directory 0755), an existing one keeps its mode. */
    public static void write(Path file, KeyFile content) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.exists(parent)) {
            Files.createDirectories(parent, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        }
        AtomicFiles.write(file, content.render());
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
