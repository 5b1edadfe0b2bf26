package io.dpuvirt.common.config;

import java.nio.file.Path;

/** A configuration file that cannot be used, with the file and line at fault. */
public final class ConfigException extends Exception {
    private final Path file;
    private final int line;

    public ConfigException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or 0 when the problem is the file as a whole. */
    public int line() {
        return line;
    }
}
