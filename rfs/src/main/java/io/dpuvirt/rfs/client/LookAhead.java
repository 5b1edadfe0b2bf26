package io.dpuvirt.rfs.client;

import io.dpuvirt.common.collect.BoundedMap;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.DirEntry;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Look-ahead of lookups after a listing ("statahead"). {@code rm -r}, {@code find}, {@code du} and {@code ls -l}
 * beyond the first READDIRPLUS look names up one after the other in the order a listing of their directory just
 * gave them; a shell glob ({@code rm dir/*}), {@code ls} and most scripts go through the names sorted. Each lookup
 * is a round trip. When a lookup follows the one before it in either order, the names after it in that order are
 * looked up on the HOST in the same round trip ({@link BatchLookups}) and their answers kept here for the kernel's
 * next lookups.
 *
 * <p>The consistency rule is unchanged: an answer is handed out once, only within the attribute (or negative)
 * validity of when the HOST gave it, and the kernel is told only the validity left. Changes made through this
 * mount show at once: a name created or removed here drops the answers for it and its directory; any other change
 * (a write, setattr, link, rename, extended attributes) drops all answers. Answers to a request that was in flight
 * when such a change was made are not kept.
 */
final class LookAhead {
    /** How many names one look-ahead asks for. */
    static final int WINDOW = 64;
    /** Directories whose listing order is remembered. */
    private static final int DIRECTORIES = 32;
    /** Changes remembered for answers in flight; an answer older than all of them is not kept. */
    private static final int CHANGES = 1024;

    /** A kept answer: attributes, or null for "no such name"; received is System.nanoTime(). */
    record Answer(Attr attr, long received) {
    }

    /** Names in one order, and the position of the last name looked up in it. */
    private static final class Order {
        final List<String> names;
        private Map<String, Integer> index;
        int last = -1;

        Order(List<String> names) {
            this.names = names;
        }

        int indexOf(String name) {
            if (index == null) { // built at the first lookup: most listings are never walked
                index = new HashMap<>(names.size() * 2);
                for (int i = 0; i < names.size(); i++) {
                    index.put(names.get(i), i);
                }
            }
            return index.getOrDefault(name, -1);
        }

        /** Marks {@code name} as looked up; the names after it if it follows the previous one, else null. */
        List<String> follow(String name) {
            int at = indexOf(name);
            if (at < 0) {
                return null;
            }
            boolean next = at == last + 1;
            last = at;
            return next ? List.copyOf(names.subList(at, Math.min(names.size(), at + WINDOW))) : null;
        }
    }

    /** A listed directory's names in listing order and, made at the first lookup that needs it, sorted. */
    private static final class Listing {
        final Order listed;
        private Order sorted;

        Listing(List<String> names) {
            listed = new Order(names);
        }

        Order sorted() {
            if (sorted == null) {
                sorted = new Order(listed.names.stream().sorted().toList());
            }
            return sorted;
        }
    }

    /**
     * A change made through this mount: to {@code path} (and its directory) and, where known, the inode that was
     * there (its other names' link counts changed); or to everything ({@code path} null).
     */
    private record Change(long sequence, String path, NodeTable.Inode inode) {
        boolean touches(String kept, Attr attr) {
            return path == null || LookAhead.touches(path, kept) || inode != null && attr != null && inode.holds(attr);
        }
    }

    private final long attrNanos;
    private final long negativeNanos;
    private final Map<String, Listing> listings = BoundedMap.leastRecentlyUsedGoes(DIRECTORIES);
    private final Map<String, Answer> answers = new HashMap<>();
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long sequence;

    LookAhead(CacheTimes times) {
        this.attrNanos = times.attr().toNanos();
        this.negativeNanos = times.negative().toNanos();
    }

    /** A listing of {@code directory} was fetched: its order replaces the one remembered. */
    synchronized void listed(String directory, List<DirEntry> entries) {
        if (attrNanos <= 0) {
            return;
        }
        List<String> names = new ArrayList<>(entries.size());
        for (DirEntry entry : entries) {
            if (entry.type() != DirEntry.DT_SOCK && !entry.name().equals(".") && !entry.name().equals("..")) {
                names.add(entry.name());
            }
        }
        listings.put(directory, new Listing(names));
    }

    /**
     * For a lookup the kernel makes of {@code name} in {@code directory}: the names to ask the HOST for along with
     * it (the first is {@code name}), or null when it does not follow the previous lookup in listing order.
     */
    synchronized List<String> plan(String directory, String name) {
        Listing listing = listings.get(directory);
        if (listing == null) {
            return null;
        }
        List<String> inListingOrder = listing.listed.follow(name);
        List<String> sorted = listing.sorted().follow(name);
        return inListingOrder != null ? inListingOrder : sorted;
    }

    /** Where changes stand, to be given to {@link #keep} with the answers of a request sent now. */
    synchronized long sequence() {
        return sequence;
    }

    /** Keeps the answers for {@code names} in {@code directory} (asked at {@code sentAt}) but the first. */
    synchronized void keep(String directory, List<BatchLookups.Found> found, long sentAt) {
        long now = System.nanoTime();
        for (BatchLookups.Found answer : found.subList(1, found.size())) {
            String path = NodeTable.child(directory, answer.name());
            if (answer.attr() == null && !BatchLookups.absent(answer) || changedSince(sentAt, path, answer.attr())) {
                continue;
            }
            answers.put(path, new Answer(answer.attr(), now));
        }
        if (answers.size() > 4 * WINDOW) { // answers never asked for: the expired ones go
            answers.values().removeIf(kept -> now - kept.received() >= validity(kept));
        }
    }

    private boolean changedSince(long sentAt, String path, Attr attr) {
        if (sequence == sentAt) {
            return false;
        }
        Change oldest = changes.peekFirst();
        if (oldest == null || oldest.sequence() > sentAt + 1) {
            return true; // the changes since were not all remembered
        }
        for (Iterator<Change> it = changes.descendingIterator(); it.hasNext(); ) {
            Change change = it.next();
            if (change.sequence() <= sentAt) {
                return false;
            }
            if (change.touches(path, attr)) {
                return true;
            }
        }
        return false;
    }

    /** The answer kept for {@code path}, handed out once; null if none is left within its validity. */
    synchronized Answer take(String directory, String name) {
        String path = NodeTable.child(directory, name);
        Answer answer = answers.remove(path);
        if (answer == null || System.nanoTime() - answer.received() >= validity(answer)) {
            return null;
        }
        Listing listing = listings.get(directory);
        if (listing != null) {
            listing.listed.follow(name);
            listing.sorted().follow(name);
        }
        return answer;
    }

    /** Nanoseconds the kernel may still trust {@code answer}. */
    long remaining(Answer answer) {
        return Math.max(0, validity(answer) - (System.nanoTime() - answer.received()));
    }

    private long validity(Answer answer) {
        return answer.attr() == null ? negativeNanos : attrNanos;
    }

    /**
     * A name was created or removed through this mount ({@code inode}: what it named, if known): the answers for
     * it, its directory and the inode's other names go.
     */
    synchronized void named(String path, NodeTable.Inode inode) {
        Change change = record(path, inode);
        answers.entrySet().removeIf(kept -> change.touches(kept.getKey(), kept.getValue().attr()));
    }

    /** Anything else changed through this mount: every answer goes. */
    synchronized void changed() {
        record(null, null);
        answers.clear();
    }

    private Change record(String path, NodeTable.Inode inode) {
        Change change = new Change(++sequence, path, inode);
        changes.addLast(change);
        if (changes.size() > CHANGES) {
            changes.removeFirst();
        }
        return change;
    }

    /** Whether a change at {@code changed} makes the answer for {@code kept} stale: the name, or its directory. */
    private static boolean touches(String changed, String kept) {
        if (kept.equals(changed)) {
            return true;
        }
        int slash = changed.lastIndexOf('/');
        String directory = slash < 0 ? "" : changed.substring(0, slash);
        return kept.equals(directory);
    }
}
