package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.config.Whitelist.Section;

import java.util.EnumMap;
import java.util.Map;

/**
 * What the whitelist allows, per operation, with every entry's symlinks resolved once at load time (requests
 * carry canonical paths, so matching is a string comparison by whole components).
 *
 * <p>The original checked only its twelve sections. rfs also checks lookups, getattr, readlink, link, symlink,
 * xattr reads and statfs; so that a whitelist written for the original keeps working, each of these sections,
 * when the file does not have it, falls back to an original one: the looking ones to {@code [Mount]} (what is
 * mounted may be looked at, as before), {@code [Link]} and {@code [Symlink]} to {@code [Create]}.
 */
public record ExportPolicy(Whitelist whitelist, Map<Section, PathPrefixes> effective) {
    public ExportPolicy {
        effective = Map.copyOf(effective);
    }

    public static ExportPolicy of(Whitelist whitelist) {
        Map<Section, PathPrefixes> effective = new EnumMap<>(Section.class);
        for (Section section : Section.values()) {
            Section source = whitelist.has(section) ? section : fallback(section);
            effective.put(section, source == null ? PathPrefixes.none() : whitelist.resolved(source));
        }
        return new ExportPolicy(whitelist, effective);
    }

    /** The original section a new one stands for when the file lacks it; null for the original sections. */
    static Section fallback(Section section) {
        return switch (section) {
            case LOOKUP, GETATTR, READLINK, GETXATTR, STATFS -> Section.MOUNT;
            case LINK, SYMLINK -> Section.CREATE;
            default -> null;
        };
    }

    public boolean allows(Section section, String canonicalPath) {
        return effective.get(section).covers(canonicalPath);
    }
}
