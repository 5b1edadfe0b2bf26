package io.dpuvirt.virt.host;

import java.nio.file.Path;
import java.util.Objects;

/** What one of a started program's stdin, stdout or stderr is connected to. */
public sealed interface Stdio {
    /** /dev/null. */
    record None() implements Stdio {
    }

    /** A file read from the start (stdin). */
    record ReadFile(Path path) implements Stdio {
        public ReadFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A file written (stdout, stderr), created 0600 if missing, appended to or truncated. */
    record WriteFile(Path path, boolean append) implements Stdio {
        public WriteFile {
            Objects.requireNonNull(path, "path");
        }
    }

    /** A connection to a listening unix stream socket, for reading and writing. */
    record UnixSocket(Path path) implements Stdio {
        public UnixSocket {
            Objects.requireNonNull(path, "path");
        }
    }

    static Stdio none() {
        return new None();
    }

    static Stdio readFile(Path path) {
        return new ReadFile(path);
    }

    static Stdio appendTo(Path path) {
        return new WriteFile(path, true);
    }

    static Stdio unixSocket(Path path) {
        return new UnixSocket(path);
    }
}
