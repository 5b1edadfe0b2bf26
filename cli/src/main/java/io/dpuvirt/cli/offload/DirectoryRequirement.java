package io.dpuvirt.cli.offload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A directory that must exist; {@code purpose} says what it is for. */
record DirectoryRequirement(Path directory, String purpose) implements Requirement {
    @Override
    public Outcome apply(Journal journal) throws IOException, OffloadException {
        return CreatedPaths.ensureDirectory(directory, journal);
    }

    @Override
    public Finding check() {
        if (Files.isDirectory(directory)) {
            return Finding.met("directory " + directory + " is there (" + purpose + ")");
        }
        return Finding.missing(Files.exists(directory) ? directory + " is not a directory (" + purpose + ")"
                : "directory " + directory + " does not exist (" + purpose + ")");
    }
}
