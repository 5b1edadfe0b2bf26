package io.dpuvirt.cli.offload;

import io.dpuvirt.cli.QtfsWhitelistWriter;
import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.config.Whitelist;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A path a section of a qtfs whitelist must cover ({@code [Udsconnect]} of {@code /etc/qtfs/whitelist} for the
 * sockets udsproxyd carries). An entry is added only when no entry covers the path yet, through the same code as
 * qtcfg (the rest of the file kept as it is, written atomically, a running udsproxyd told to reload).
 *
 * @param statusSocket udsproxyd's status socket, to tell a running udsproxyd about a change
 */
record WhitelistRequirement(Path file, Whitelist.Section section, Path path, Path statusSocket) implements Requirement {
    @Override
    public Outcome apply(Journal journal) throws IOException, ConfigException, OffloadException {
        String entry = PathPrefixes.normalize(path.toString());
        try (QtfsWhitelistWriter.Lock ignored = QtfsWhitelistWriter.lock(file)) {
            boolean exists = Files.exists(file);
            KeyFile keyFile = exists ? KeyFile.load(file) : KeyFile.empty(file);
            Whitelist whitelist = exists ? Whitelist.load(file) : Whitelist.of(keyFile);
            if (whitelist.allows(section, path)) {
                return Outcome.unchanged("ok", describe() + " covers " + path);
            }
            CreatedPaths.ensureParent(file, journal);
            CreatedPaths.recordIfNew(file, journal);
            journal.record(new Change.AddedWhitelistEntry(file, section, entry));
            QtfsWhitelistWriter.write(file, whitelist.with(section, whitelist.entries(section).with(entry)).applyTo(keyFile, section));
        }
        return Outcome.changed("added", entry + " to " + describe() + notified(statusSocket));
    }

    @Override
    public Finding check() {
        if (!Files.exists(file)) {
            return Finding.missing(file + " does not exist (its [" + section.fileName() + "] must cover " + path + ")");
        }
        try {
            return Whitelist.load(file).allows(section, path) ? Finding.met(describe() + " covers " + path)
                    : Finding.missing(describe() + " does not cover " + path);
        } catch (ConfigException e) {
            return Finding.missing(e.getMessage());
        }
    }

    /** down: removes the entry {@code up} added, if it is still there; the rest of the file stays as it is. */
    static Outcome undo(Change.AddedWhitelistEntry added, Path statusSocket) throws IOException, ConfigException {
        String where = "[" + added.section().fileName() + "] of " + added.file();
        if (!Files.exists(added.file())) {
            return Outcome.unchanged("gone", added.entry() + " from " + where + " (the file is gone)");
        }
        try (QtfsWhitelistWriter.Lock ignored = QtfsWhitelistWriter.lock(added.file())) {
            KeyFile keyFile = KeyFile.load(added.file());
            Whitelist whitelist = Whitelist.load(added.file());
            PathPrefixes entries = whitelist.entries(added.section());
            int index = entries.entries().indexOf(added.entry());
            if (index < 0) {
                return Outcome.unchanged("gone", added.entry() + " from " + where + " (already)");
            }
            PathPrefixes rest = entries.without(index);
            QtfsWhitelistWriter.write(added.file(), rest.isEmpty() ? keyFile.withoutKey(added.section().fileName(), Whitelist.KEY)
                    : whitelist.with(added.section(), rest).applyTo(keyFile, added.section()));
        }
        return Outcome.changed("removed", added.entry() + " from " + where + notified(statusSocket));
    }

    private String describe() {
        return "[" + section.fileName() + "] of " + file;
    }

    /** Tells a running udsproxyd; says so when it runs but did not answer. */
    private static String notified(Path statusSocket) {
        return QtfsWhitelistWriter.notifyDaemon(statusSocket).map(problem -> " (" + problem + ")").orElse("");
    }
}
