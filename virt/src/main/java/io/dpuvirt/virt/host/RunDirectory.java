package io.dpuvirt.virt.host;

import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A process's run directory on this machine, removed after the process ({@link ProcessSpec#withRunDirectory}): the
 * files in it (a symlink itself, never what it points to), then the directory. One holding a directory stays, as
 * rexec_server leaves it on a remote host.
 */
final class RunDirectory {
    private RunDirectory() {
    }

    static void remove(Path directory) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(directory)) {
            for (Path entry : entries) {
                if (!Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    Files.deleteIfExists(entry);
                }
            }
            Files.delete(directory);
        } catch (NoSuchFileException e) {
            // nothing left to remove
        } catch (DirectoryNotEmptyException e) {
            Log.info("kept " + directory + " after its process: it holds a directory");
        } catch (IOException e) {
            Log.warn("cannot remove " + directory + " after its process: " + e.getMessage());
        }
    }
}
