package io.dpuvirt.cli.virsh;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** The XML files {@code define} and {@code create} read, with virsh's message when one cannot be read. */
final class XmlFiles {
    /** virsh's VSH_MAX_XML_FILE. */
    private static final long MAX_SIZE = 10 * 1024 * 1024;

    private XmlFiles() {
    }

    static String read(String file) throws VirshException {
        Path path = Path.of(file);
        try {
            if (Files.size(path) > MAX_SIZE) {
                throw new VirshException("Failed to open file '" + file + "': File too large");
            }
            return Files.readString(path, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new VirshException("Failed to open file '" + file + "': No such file or directory");
        } catch (AccessDeniedException e) {
            throw new VirshException("Failed to open file '" + file + "': Permission denied");
        } catch (IOException e) {
            throw new VirshException("Failed to read file '" + file + "': " + e.getMessage());
        }
    }
}
