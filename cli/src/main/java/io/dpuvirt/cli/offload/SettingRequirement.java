package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.fs.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A key of a key file (GKeyFile format, such as {@code /etc/dpuvirt/virtd.conf}) that must hold a value. Only that
 * key is written; the rest of the file stays as it is, and {@code down} puts back what the key held before.
 */
record SettingRequirement(Path file, String section, String key, String value) implements Requirement {
    @Override
    public Outcome apply(Journal journal) throws IOException, ConfigException, OffloadException {
        KeyFile keyFile = Files.exists(file) ? KeyFile.load(file) : KeyFile.empty(file);
        Optional<String> current = keyFile.value(section, key);
        if (current.equals(Optional.of(value))) {
            return Outcome.unchanged("ok", file + " sets " + setting());
        }
        CreatedPaths.ensureParent(file, journal);
        CreatedPaths.recordIfNew(file, journal);
        journal.record(new Change.SetValue(file, section, key, value, current));
        AtomicFiles.edit(file, keyFile.withValue(section, key, value).render());
        return Outcome.changed("set", setting() + " in " + file + current.map(was -> " (it was " + was + ")").orElse(""));
    }

    @Override
    public Finding check() {
        if (!Files.exists(file)) {
            return Finding.missing(file + " does not exist (it must set " + setting() + ")");
        }
        try {
            Optional<String> current = KeyFile.load(file).value(section, key);
            if (current.equals(Optional.of(value))) {
                return Finding.met(file + " sets " + setting());
            }
            return Finding.missing(file + " does not set " + setting()
                    + current.map(was -> " (it says " + key + "=" + was + ")").orElse(" (the key is missing)"));
        } catch (ConfigException e) {
            return Finding.missing(e.getMessage());
        }
    }

    /** down: puts back what the key held before {@code up}, unless someone changed it since. */
    static Outcome undo(Change.SetValue set) throws IOException, ConfigException {
        String setting = "[" + set.section() + "] " + set.key() + "=" + set.value();
        if (!Files.exists(set.file())) {
            return Outcome.unchanged("gone", setting + " in " + set.file() + " (the file is gone)");
        }
        KeyFile keyFile = KeyFile.load(set.file());
        Optional<String> current = keyFile.value(set.section(), set.key());
        if (!current.equals(Optional.of(set.value()))) {
            return Outcome.unchanged("kept", "[" + set.section() + "] " + set.key() + " in " + set.file() + ": changed since up set it"
                    + current.map(now -> " (it says " + now + ")").orElse(" (removed)"));
        }
        KeyFile restored = set.previous().map(was -> keyFile.withValue(set.section(), set.key(), was))
                .orElseGet(() -> keyFile.withoutKey(set.section(), set.key()));
        AtomicFiles.edit(set.file(), restored.render());
        return Outcome.changed(set.previous().isPresent() ? "restored" : "removed",
                setting + " in " + set.file() + set.previous().map(was -> " (back to " + was + ")").orElse(""));
    }

    /** "[host] udsproxyd of /etc/dpuvirt/virtd.conf": the key, without its value. */
    String place() {
        return "[" + section + "] " + key + " of " + file;
    }

    private String setting() {
        return "[" + section + "] " + key + "=" + value;
    }
}
