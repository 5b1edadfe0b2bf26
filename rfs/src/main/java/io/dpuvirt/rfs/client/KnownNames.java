package io.dpuvirt.rfs.client;

import io.dpuvirt.common.collect.BoundedMap;
import io.dpuvirt.rfs.wire.DirEntry;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * All the names a directory holds, where the client knows them: from a listing fetched through this mount, or
 * because the directory was made through it (empty), kept current with the names this mount creates and removes.
 * Within the negative validity ({@link CacheTimes#negative()}) of when that knowledge was taken from the HOST, a
 * name not among them is absent: the lookup the kernel makes before each create (open with O_CREAT, mkdir, mknod,
 * symlink, link, rename's target) is answered without a round trip. A change made on the HOST shows within the
 * same 1 s as a negative entry the kernel keeps.
 *
 * <p>When a directory's knowledge expires after it answered for a run of creates, it is fetched again in the
 * background (names only), so that a long run of creates costs one listing a second rather than a lookup each.
 * Names this mount creates or removes while a listing is in flight are applied to it when it arrives.
 */
final class KnownNames {
    /** Directories whose names are kept. */
    private static final int DIRECTORIES = 32;
    /** Larger directories are not kept (nor fetched again). */
    static final int MAX_NAMES = 20_000;
    /** The longest name the HOST's file systems take, in bytes. */
    private static final int NAME_MAX = 255;
    /** Answers from one directory's names that make fetching them again worthwhile when they expire. */
    private static final int WORTH_REFRESHING = 16;

    /** A directory's names, as of {@code since} (System.nanoTime); {@code answered}: absences told since. */
    private static final class Names {
        final Set<String> names;
        final long since;
        int answered;

        Names(Set<String> names, long since) {
            this.names = names;
            this.since = since;
        }
    }

    /** A listing in flight: when it was asked for, and what this mount changed in the directory meanwhile. */
    private static final class Fetch {
        final long since = System.nanoTime();
        final List<String> added = new ArrayList<>();
        final List<String> removed = new ArrayList<>();
    }

    private final long validNanos;
    private final Map<String, Names> directories = BoundedMap.leastRecentlyUsedGoes(DIRECTORIES);
    private final Map<String, Fetch> fetches = new HashMap<>();
    private long forgotten = 0;

    KnownNames(CacheTimes times) {
        this.validNanos = times.negative().toNanos();
    }

    /** A listing of {@code directory} is being asked for now; the token goes to {@link #listed}. */
    synchronized long fetching(String directory) {
        Fetch fetch = new Fetch();
        fetches.put(directory, fetch);
        return fetch.since;
    }

    /** The listing asked for at {@code token} arrived: the directory's names as of then. */
    synchronized void listed(String directory, List<DirEntry> entries, long token) {
        Fetch fetch = fetches.get(directory);
        if (fetch == null || fetch.since != token || validNanos <= 0) {
            return; // a newer listing is on its way, or everything was forgotten meanwhile
        }
        fetches.remove(directory);
        if (entries.size() > MAX_NAMES || token < forgotten) {
            directories.remove(directory);
            return;
        }
        Set<String> names = new HashSet<>(entries.size() * 2);
        for (DirEntry entry : entries) {
            names.add(entry.name());
        }
        names.addAll(fetch.added);
        fetch.removed.forEach(names::remove);
        directories.put(directory, new Names(names, token));
    }

    /** The listing asked for at {@code token} failed. */
    synchronized void abandoned(String directory, long token) {
        Fetch fetch = fetches.get(directory);
        if (fetch != null && fetch.since == token) {
            fetches.remove(directory);
        }
    }

    /** A directory made through this mount at {@code since}: empty then. */
    synchronized void made(String directory, long since) {
        if (validNanos > 0 && since >= forgotten) {
            directories.put(directory, new Names(new HashSet<>(), since));
        }
    }

    /** A name created through this mount. */
    synchronized void added(String path) {
        change(path, true);
    }

    /** A name removed through this mount. */
    synchronized void removed(String path) {
        change(path, false);
    }

    private void change(String path, boolean added) {
        int slash = path.lastIndexOf('/');
        String directory = slash < 0 ? "" : path.substring(0, slash);
        String name = path.substring(slash + 1);
        Names known = directories.get(directory);
        if (known != null) {
            if (added) {
                known.names.add(name);
            } else {
                known.names.remove(name);
            }
        }
        Fetch fetch = fetches.get(directory);
        if (fetch != null) {
            (added ? fetch.added : fetch.removed).add(name);
        }
    }

    /** A rename (names move between directories, whole trees with them): nothing known is kept. */
    synchronized void forgetAll() {
        directories.clear();
        fetches.clear();
        forgotten = System.nanoTime();
    }

    /**
     * Nanoseconds the kernel may remember that {@code name} is not in {@code directory}, or 0 when that is not
     * known here.
     */
    synchronized long absent(String directory, String name) {
        Names known = directories.get(directory);
        if (known == null || name.length() > NAME_MAX / 3 && name.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) {
            return 0; // what a name too long gives is the HOST's to say (ENAMETOOLONG)
        }
        long left = validNanos - (System.nanoTime() - known.since);
        if (left <= 0 || known.names.contains(name)) {
            return 0;
        }
        known.answered++;
        return left;
    }

    /** Whether to fetch {@code directory}'s names again: they expired after answering for a run of creates. */
    synchronized boolean worthFetching(String directory) {
        Names known = directories.get(directory);
        if (known == null || fetches.containsKey(directory) || System.nanoTime() - known.since < validNanos) {
            return false;
        }
        if (known.answered < WORTH_REFRESHING) {
            directories.remove(directory);
            return false;
        }
        return true;
    }
}
