package io.dpuvirt.common.config;

import io.dpuvirt.common.fs.CanonicalPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /etc/qtfs/whitelist}: per operation, the directory prefixes the other side may reach. A section that is
 * missing allows nothing. Entries are {@code Path=a;b;c} (or, as openEuler's guide writes them, bare lines).
 */
public record Whitelist(Path source, Map<Whitelist.Section, PathPrefixes> sections) {
    public static final Path DEFAULT_FILE = Path.of("/etc/qtfs/whitelist");
    public static final String KEY = "Path";
    /** The original allows 64 entries a section; more is harmless, but a bound keeps a broken file from hurting. */
    public static final int MAX_ENTRIES = 1024;
    public static final int MAX_PATH_BYTES = 4095;

    /** The sections of the original's file, spelled (case-sensitively) as it spells them. */
    public enum Section {
        OPEN("Open"), WRITE("Write"), READ("Read"), READDIR("Readdir"), MKDIR("Mkdir"), RMDIR("Rmdir"),
        CREATE("Create"), UNLINK("Unlink"), RENAME("Rename"), SETATTR("Setattr"), SETXATTR("Setxattr"),
        MOUNT("Mount"), KILL("Kill"), UDSCONNECT("Udsconnect"),
        // rfs: operations the original forwarded without any check. A file that lacks them keeps working as it did
        // with the original: rfs falls back to a related original section (see rfs's ExportPolicy).
        LOOKUP("Lookup"), GETATTR("Getattr"), READLINK("Readlink"), LINK("Link"), SYMLINK("Symlink"),
        GETXATTR("Getxattr"), STATFS("Statfs");

        private final String fileName;

        Section(String fileName) {
            this.fileName = fileName;
        }

        public String fileName() {
            return fileName;
        }

        public static Section ofFileName(String name) {
            for (Section section : values()) {
                if (section.fileName.equals(name)) {
                    return section;
                }
            }
            return null;
        }

        /** qtcfg's {@code -w udsconnect}: any case. */
        public static Section ofOption(String name) {
            for (Section section : values()) {
                if (section.fileName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                    return section;
                }
            }
            throw new IllegalArgumentException("unknown whitelist section '" + name + "' (one of "
                    + String.join(", ", List.of(values()).stream().map(s -> s.fileName.toLowerCase(Locale.ROOT)).toList()) + ")");
        }
    }

    public Whitelist {
        EnumMap<Section, PathPrefixes> copy = new EnumMap<>(Section.class);
        copy.putAll(sections);
        sections = java.util.Collections.unmodifiableMap(copy);
    }

    public static Whitelist empty(Path source) {
        return new Whitelist(source, Map.of());
    }

    /** Loads and checks the file: every entry absolute, no {@code ..}, not too long, known sections only. */
    public static Whitelist load(Path file) throws ConfigException {
        refuseWritableByOthers(file);
        return of(KeyFile.load(file));
    }

    public static Whitelist of(KeyFile keyFile) throws ConfigException {
        Path file = keyFile.source();
        Map<Section, PathPrefixes> sections = new EnumMap<>(Section.class);
        for (KeyFile.Line line : keyFile.lines()) {
            if (line instanceof KeyFile.Header header && Section.ofFileName(header.section()) == null) {
                throw new ConfigException(file, header.number(), "unknown section [" + header.section()
                        + "] (sections are case-sensitive: " + String.join(" ",
                        List.of(Section.values()).stream().map(s -> "[" + s.fileName() + "]").toList()) + ")");
            }
        }
        for (Section section : Section.values()) {
            if (!keyFile.hasSection(section.fileName())) {
                continue;
            }
            List<String> paths = new ArrayList<>();
            for (KeyFile.Entry entry : keyFile.entries(section.fileName())) {
                if (!entry.key().equals(KEY)) {
                    throw new ConfigException(file, entry.number(), "unknown key '" + entry.key() + "' in ["
                            + section.fileName() + "] (expected " + KEY + "=)");
                }
                for (String item : KeyFile.splitList(entry.rawValue())) {
                    paths.add(checkedEntry(file, entry.number(), section, item));
                }
            }
            for (KeyFile.Bare bare : keyFile.bareValues(section.fileName())) {
                paths.add(checkedEntry(file, bare.number(), section, bare.value()));
            }
            if (paths.size() > MAX_ENTRIES) {
                throw new ConfigException(file, 0, "[" + section.fileName() + "] has " + paths.size()
                        + " entries, at most " + MAX_ENTRIES + " are allowed");
            }
            sections.put(section, new PathPrefixes(paths));
        }
        return new Whitelist(file, sections);
    }

    private static String checkedEntry(Path file, int line, Section section, String item) throws ConfigException {
        if (item.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw new ConfigException(file, line, "[" + section.fileName() + "] path longer than " + MAX_PATH_BYTES + " bytes");
        }
        try {
            return PathPrefixes.normalize(item);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file, line, "[" + section.fileName() + "] " + e.getMessage());
        }
    }

    /** A whitelist anyone but its owner can change is no whitelist. */
    static void refuseWritableByOthers(Path file) throws ConfigException {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (permissions.contains(PosixFilePermission.GROUP_WRITE) || permissions.contains(PosixFilePermission.OTHERS_WRITE)) {
                throw new ConfigException(file, 0, "writable by group or others (mode "
                        + java.nio.file.attribute.PosixFilePermissions.toString(permissions) + "): chmod go-w " + file);
            }
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
    }

    public boolean has(Section section) {
        return sections.containsKey(section);
    }

    /** The entries as written (normalized), in file order; empty when the section is missing. */
    public PathPrefixes entries(Section section) {
        return sections.getOrDefault(section, PathPrefixes.none());
    }

    /**
     * The entries with their symlinks resolved as they are now ({@code /var/run/rexec} becomes {@code /run/rexec}
     * on Debian), for matching against canonical paths. Entries that cannot be resolved are left as written.
     */
    public PathPrefixes resolved(Section section) {
        List<String> resolved = new ArrayList<>();
        for (String entry : entries(section).entries()) {
            try {
                resolved.add(CanonicalPaths.canonical(Path.of(entry)).toString());
            } catch (IOException e) {
                resolved.add(entry);
            }
        }
        return new PathPrefixes(resolved);
    }

    /** True when {@code path}, canonicalized now, lies under one of the section's (resolved) entries. */
    public boolean allows(Section section, Path path) {
        try {
            return resolved(section).covers(CanonicalPaths.canonical(path));
        } catch (IOException e) {
            return false;
        }
    }

    public Whitelist with(Section section, PathPrefixes prefixes) {
        Map<Section, PathPrefixes> copy = new EnumMap<>(Section.class);
        copy.putAll(sections);
        copy.put(section, prefixes);
        return new Whitelist(source, copy);
    }

    /** {@code keyFile} with this whitelist's entries for {@code section}, the rest of the file untouched. */
    public KeyFile applyTo(KeyFile keyFile, Section section) {
        return keyFile.withList(section.fileName(), KEY, entries(section).entries());
    }
}
