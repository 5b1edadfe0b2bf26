package io.dpuvirt.common.config;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A set of directory prefixes matched by whole path components: {@code /var/lib/libvirt} (or
 * {@code /var/lib/libvirt/}) covers {@code /var/lib/libvirt} itself and everything below it, and not
 * {@code /var/lib/libvirtd}. Callers pass canonical paths (see {@code CanonicalPaths}); the entries are
 * normalized when the set is built.
 */
public record PathPrefixes(List<String> entries) {
    public PathPrefixes {
        List<String> normalized = new ArrayList<>();
        for (String entry : entries) {
            normalized.add(normalize(entry));
        }
        entries = List.copyOf(normalized);
    }

    public static PathPrefixes none() {
        return new PathPrefixes(List.of());
    }

    /** Collapses repeated slashes and drops a trailing one; refuses relative paths and {@code .}/{@code ..} components. */
    public static String normalize(String entry) {
        if (!entry.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: '" + entry + "'");
        }
        if (entry.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("path contains a NUL byte");
        }
        StringBuilder out = new StringBuilder();
        for (String component : entry.split("/")) {
            if (component.isEmpty()) {
                continue;
            }
            if (component.equals(".") || component.equals("..")) {
                throw new IllegalArgumentException("path has a '" + component + "' component: '" + entry + "'");
            }
            out.append('/').append(component);
        }
        return out.isEmpty() ? "/" : out.toString();
    }

    public boolean covers(Path canonicalPath) {
        return covers(canonicalPath.toString());
    }

    public boolean covers(String canonicalPath) {
        for (String entry : entries) {
            if (entry.equals("/") || canonicalPath.equals(entry)
                    || canonicalPath.startsWith(entry) && canonicalPath.charAt(entry.length()) == '/') {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    public PathPrefixes with(String entry) {
        List<String> more = new ArrayList<>(entries);
        String normalized = normalize(entry);
        if (!more.contains(normalized)) {
            more.add(normalized);
        }
        return new PathPrefixes(more);
    }

    public PathPrefixes without(int index) {
        if (index < 0 || index >= entries.size()) {
            throw new IndexOutOfBoundsException("no entry " + index + " (there are " + entries.size() + ")");
        }
        List<String> fewer = new ArrayList<>(entries);
        fewer.remove(index);
        return new PathPrefixes(fewer);
    }
}
