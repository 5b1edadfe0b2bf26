package io.dpuvirt.virt.host;

import java.nio.file.Path;
import java.util.Objects;

/** What one of a started program's stdin, stdout or stderr is connected to. */
public sealed interface Stdio {
    /** /dev/null. */
    record None() implements Stdio {
    }

    /** A file written (stdout, stderr), created 0600 if missing (its missing directories too), appended to or truncated. */
    record WriteFile(Path path, boolean append) implements Stdio {
        public WriteFile {
            Objects.requireNonNull(path, "path");
        }
    }

    static Stdio none() {
        return new None();
    }

    static Stdio appendTo(Path path) {
        return new WriteFile(path, true);
    }
}
