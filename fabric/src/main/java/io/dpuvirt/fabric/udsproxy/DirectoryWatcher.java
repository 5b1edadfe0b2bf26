package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.config.PathPrefixes;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Inotify;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.dpuvirt.common.linux.Inotify.IN_CREATE;
import static io.dpuvirt.common.linux.Inotify.IN_DELETE;
import static io.dpuvirt.common.linux.Inotify.IN_DELETE_SELF;
import static io.dpuvirt.common.linux.Inotify.IN_DONT_FOLLOW;
import static io.dpuvirt.common.linux.Inotify.IN_IGNORED;
import static io.dpuvirt.common.linux.Inotify.IN_ISDIR;
import static io.dpuvirt.common.linux.Inotify.IN_MOVED_FROM;
import static io.dpuvirt.common.linux.Inotify.IN_MOVED_TO;
import static io.dpuvirt.common.linux.Inotify.IN_MOVE_SELF;
import static io.dpuvirt.common.linux.Inotify.IN_ONLYDIR;
import static io.dpuvirt.common.linux.Inotify.IN_Q_OVERFLOW;

/**
 * Watches the directories under {@code [Udsconnect]} with inotify: a socket's file appearing there (bind() makes it)
 * or going away is noticed at once, where the periodic scan of /proc/net/unix would notice it a period later.
 *
 * <p>Only sockets count: a regular file coming or going (qemu's pid file, a log) is no change, since a scan would find
 * nothing new, and neither is an empty directory made (it is watched from then on). A removal counts when what goes
 * away is, or holds, a socket file seen here. Fifos and devices count as sockets (the JDK's lstat calls them all
 * "other"); they are rare in these directories.
 *
 * <p>Each prefix (canonical, as the whitelist resolves it) that is a directory is watched with every directory below
 * it, also those made later (qemu's run directory for each domain). A prefix that does not exist yet is waited for in
 * its nearest existing ancestor, where only the name on the way to the prefix counts. Symlinks are never followed:
 * a socket is offered by its canonical path, which lies in a watched directory exactly when it lies under a prefix.
 * Once a second {@link #recheck()} notices what events cannot tell (a directory above a prefix renamed).
 *
 * <p>Without inotify, beyond {@link #MAX_WATCHES} directories or at the kernel's limit, the watcher is not
 * {@link #complete()}: the periodic scan must find what it misses. Confined to the scanning thread.
 */
final class DirectoryWatcher implements AutoCloseable {
    /** Keeps a whitelisted "/" from taking every inotify watch of root, which systemd and others need too. */
    static final int MAX_WATCHES = 8192;
    /** Below a prefix: entries that come and go; never through a symlink. */
    private static final int MEMBER_MASK = IN_CREATE | IN_MOVED_TO | IN_DELETE | IN_MOVED_FROM | IN_ONLYDIR | IN_DONT_FOLLOW;
    /** A prefix, or the ancestor that waits for one: also the directory itself going away or being renamed. */
    private static final int ANCHOR_MASK = MEMBER_MASK | IN_DELETE_SELF | IN_MOVE_SELF;

    private enum Role { PREFIX, MEMBER, ANCESTOR }

    private record Watch(Path directory, Role role) {
    }

    /** A directory the prefixes need watched as they are now: a prefix, or an ancestor waiting for one. */
    private record Anchor(Path directory, Role role, Object fileKey) {
    }

    /**
     * What the events of one wait amount to: whether the sockets under the prefixes may have changed, which socket
     * files appeared, and whether what the events tell is incomplete (events lost, a watched directory moved or gone:
     * a socket may have come unreported).
     */
    record Changes(boolean any, Set<String> appeared, boolean incomplete) {
        static final Changes NONE = new Changes(false, Set.of(), false);
    }

    private Inotify inotify; // null: not watching (no inotify, or it failed)
    private final int maxWatches;
    private final Map<Integer, Watch> watches = new HashMap<>();
    /** The socket files seen in the watched directories: removing one, or a directory holding one, is a change. */
    private final Set<Path> sockets = new HashSet<>();
    private PathPrefixes prefixes = PathPrefixes.none();
    private List<Anchor> anchors = List.of();
    private boolean limited;
    private boolean limitLogged;

    DirectoryWatcher(Inotify inotify, int maxWatches) {
        this.inotify = inotify;
        this.maxWatches = maxWatches;
    }

    /** A watcher on a new inotify instance; one that watches nothing when there is none to be had. */
    static DirectoryWatcher open() {
        try {
            return new DirectoryWatcher(Inotify.open(), MAX_WATCHES);
        } catch (LinuxException e) {
            Log.warn("cannot watch socket directories (" + e.getMessage() + "): new sockets are found by the periodic scan");
            return new DirectoryWatcher(null, 0);
        }
    }

    /** True when every directory under the prefixes is watched. */
    boolean complete() {
        return inotify != null && !limited;
    }

    /** Watches the directories of {@code canonicalPrefixes} from now on (nothing to do when they did not change). */
    void follow(PathPrefixes canonicalPrefixes) {
        if (inotify != null && !canonicalPrefixes.equals(prefixes)) {
            prefixes = canonicalPrefixes;
            sync(new HashSet<>());
        }
    }

    /** Watches again if a prefix or an ancestor waiting for one is no longer the directory watched (gone, made, renamed). */
    void recheck() {
        if (inotify != null && !plan().equals(anchors)) {
            sync(new HashSet<>());
        }
    }

    /** Waits up to {@code timeoutMillis} for events and returns what they amount to as soon as there are any. */
    Changes await(int timeoutMillis) {
        if (inotify == null) {
            sleep(timeoutMillis);
            return Changes.NONE;
        }
        List<Inotify.Event> events;
        try {
            events = inotify.await(timeoutMillis);
        } catch (LinuxException e) {
            Log.error("inotify failed, new sockets are found by the periodic scan from now on: " + e.getMessage());
            close();
            return Changes.NONE;
        }
        boolean any = false;
        boolean resync = false;
        Set<String> appeared = new HashSet<>();
        for (Inotify.Event event : events) {
            if (event.is(IN_Q_OVERFLOW)) { // events were lost: watch everything afresh, scan everything
                any = resync = true;
                continue;
            }
            Watch watch = event.is(IN_IGNORED) ? watches.remove(event.watch()) : watches.get(event.watch());
            if (watch == null || event.is(IN_IGNORED)) {
                continue; // a watch ended (its directory went away): the directory's own events said what matters
            }
            if (event.is(IN_DELETE_SELF | IN_MOVE_SELF)) {
                any = resync = true;
                continue;
            }
            Path entry = watch.directory().resolve(event.name());
            boolean cameIn = event.is(IN_CREATE | IN_MOVED_TO);
            if (watch.role() == Role.ANCESTOR) {
                if (leadsToPrefix(entry)) {
                    any = resync = true;
                    if (cameIn && !event.is(IN_ISDIR)) {
                        appeared.add(entry.toString()); // a whitelisted socket path itself
                    }
                }
                continue;
            }
            if (!event.is(IN_ISDIR)) {
                if (cameIn && isSocketFile(entry)) {
                    sockets.add(entry);
                    appeared.add(entry.toString());
                    any = true;
                } else if (sockets.remove(entry)) {
                    any = true; // removed, or replaced by a file renamed over it
                }
            } else if (cameIn) {
                int before = appeared.size();
                walk(entry, Role.MEMBER, new HashSet<>(), appeared);
                any |= appeared.size() > before;
            } else {
                if (event.is(IN_MOVED_FROM)) {
                    unwatchBelow(entry); // moved out (moved within, it comes back with its IN_MOVED_TO)
                }
                any |= sockets.removeIf(socket -> socket.startsWith(entry));
            }
        }
        if (resync) {
            sync(appeared);
        }
        return any ? new Changes(true, appeared, resync) : Changes.NONE;
    }

    /** Makes the watches those of the prefixes as they are now; entries of directories watched anew go to {@code appeared}. */
    private void sync(Set<String> appeared) {
        anchors = plan();
        limited = false;
        sockets.clear(); // the walks below see them all again
        Set<Integer> kept = new HashSet<>();
        for (Anchor anchor : anchors) {
            if (anchor.role() == Role.PREFIX) {
                walk(anchor.directory(), Role.PREFIX, kept, appeared);
            } else {
                int watch = watch(anchor.directory(), Role.ANCESTOR);
                if (watch >= 0) {
                    kept.add(watch);
                    watches.put(watch, new Watch(anchor.directory(), Role.ANCESTOR));
                }
            }
        }
        for (Integer watch : new ArrayList<>(watches.keySet())) {
            if (!kept.contains(watch)) {
                inotify.unwatch(watch);
                watches.remove(watch);
            }
        }
    }

    /** The anchors the prefixes need: each outermost prefix that is a directory, else its nearest existing ancestor. */
    private List<Anchor> plan() {
        List<Anchor> plan = new ArrayList<>();
        for (String entry : prefixes.entries()) {
            Path path = Path.of(entry);
            if (path.getParent() != null && prefixes.covers(path.getParent())) {
                continue; // below another prefix: watched as part of it
            }
            Object key = directoryKey(path);
            Anchor anchor = key != null ? new Anchor(path, Role.PREFIX, key) : nearestAncestor(path);
            if (!plan.contains(anchor)) {
                plan.add(anchor);
            }
        }
        return plan;
    }

    private static Anchor nearestAncestor(Path path) {
        Path directory = path.getParent();
        Object key = directoryKey(directory);
        while (key == null && directory.getParent() != null) {
            directory = directory.getParent();
            key = directoryKey(directory);
        }
        return new Anchor(directory, Role.ANCESTOR, key);
    }

    /** The directory's identity (device and inode), or null when {@code path} is not a directory (a symlink is not one). */
    private static Object directoryKey(Path path) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return attributes.isDirectory() ? attributes.fileKey() : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** Whether {@code entry} is a socket file now: not a directory, regular file or symlink, and still there. */
    private static boolean isSocketFile(Path entry) {
        try {
            return Files.readAttributes(entry, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isOther();
        } catch (IOException e) {
            return false;
        }
    }

    private boolean leadsToPrefix(Path entry) {
        return prefixes.entries().stream().anyMatch(prefix -> Path.of(prefix).startsWith(entry));
    }

    /**
     * Watches {@code top} and every directory below it. The entries of a directory not watched before go to
     * {@code appeared}: a socket may have been bound there between the directory's creation and its watch.
     */
    private void walk(Path top, Role topRole, Set<Integer> kept, Set<String> appeared) {
        Set<Path> fresh = new HashSet<>();
        try {
            Files.walkFileTree(top, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes) {
                    Role role = directory.equals(top) ? topRole : Role.MEMBER;
                    int watch = watch(directory, role);
                    if (watch < 0) {
                        return limited ? FileVisitResult.TERMINATE : FileVisitResult.SKIP_SUBTREE;
                    }
                    kept.add(watch);
                    if (watches.put(watch, new Watch(directory, role)) == null) {
                        fresh.add(directory);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isOther()) {
                        sockets.add(file);
                        if (fresh.contains(file.getParent())) {
                            appeared.add(file.toString());
                        }
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE; // gone meanwhile
                }

                @Override
                public FileVisitResult postVisitDirectory(Path directory, IOException e) {
                    return FileVisitResult.CONTINUE; // gone while being listed
                }
            });
        } catch (IOException e) {
            throw new AssertionError("the visitor stops at nothing", e);
        }
    }

    /** Adds (or renews) the kernel's watch on {@code directory}; -1 when it cannot (gone, or a limit: then the watcher is incomplete). */
    private int watch(Path directory, Role role) {
        try {
            int watch = inotify.watch(directory, role == Role.MEMBER ? MEMBER_MASK : ANCHOR_MASK);
            if (!watches.containsKey(watch) && watches.size() >= maxWatches) {
                inotify.unwatch(watch);
                incomplete("more than " + maxWatches + " directories");
                return -1;
            }
            return watch;
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT) || e.is(Errno.ENOTDIR)) {
                return -1; // gone, or replaced by a symlink, since it was seen: nothing to watch there
            }
            incomplete(e.is(Errno.ENOSPC) ? "the kernel's limit fs.inotify.max_user_watches is reached" : e.getMessage());
            return -1;
        }
    }

    private void incomplete(String reason) {
        limited = true;
        if (!limitLogged) {
            limitLogged = true;
            Log.warn("not every directory under [Udsconnect] can be watched (" + reason
                    + "): sockets in the others are found by the periodic scan");
        }
    }

    private void unwatchBelow(Path directory) {
        watches.entrySet().removeIf(entry -> {
            if (entry.getValue().directory().startsWith(directory)) {
                inotify.unwatch(entry.getKey());
                return true;
            }
            return false;
        });
    }

    private static void sleep(int millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (inotify != null) {
            inotify.close();
            inotify = null;
            watches.clear();
        }
    }
}
