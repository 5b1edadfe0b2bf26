package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.Whitelist;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/** One thing {@code up} changed on a machine, recorded so that {@code down} can undo exactly that. */
public sealed interface Change {
    /** A directory that did not exist. */
    record CreatedDirectory(Path path) implements Change {
        public CreatedDirectory {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A configuration file that did not exist; removed again once nothing is left in it. */
    record CreatedFile(Path path) implements Change {
        public CreatedFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** An entry added to a section of a qtfs whitelist ({@code /etc/qtfs/whitelist}). */
    record AddedWhitelistEntry(Path file, Whitelist.Section section, String entry) implements Change {
        public AddedWhitelistEntry {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(entry, "entry");
        }
    }

    /** A program added to rexec_server's whitelist ({@code /etc/rexec/whitelist}). */
    record ListedProgram(Path file, String program) implements Change {
        public ListedProgram {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(program, "program");
        }
    }

    /** A key of a key file set to {@code value}; {@code previous} is what it held before, if it was there. */
    record SetValue(Path file, String section, String key, String value, Optional<String> previous) implements Change {
        public SetValue {
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(section, "section");
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
            Objects.requireNonNull(previous, "previous");
        }
    }

    /** A daemon started (its pid file names it); {@code logCreated} when its log file did not exist before. */
    record StartedService(String name, boolean logCreated) implements Change {
        public StartedService {
            Objects.requireNonNull(name, "name");
        }
    }
}
