package io.dpuvirt.common.fs;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * realpath(3) that also works for paths whose tail does not exist yet (a socket about to be bound, a file about
 * to be created): every existing component is resolved through its symlinks, {@code .} and {@code ..} are applied
 * to the resolved prefix, and the missing tail is appended as written. Whitelists are checked on this form, so
 * neither {@code ..} nor a symlink can lead a check astray.
 */
public final class CanonicalPaths {
    /** The kernel's MAXSYMLINKS. */
    private static final int MAX_SYMLINKS = 40;

    private CanonicalPaths() {
    }

    /** What a walk looks at, in order: the root, each existing component, a symlink before it is followed. */
    @FunctionalInterface
    public interface Step {
        void visit(Path resolved, boolean symlink) throws IOException;
    }

    public static Path canonical(Path path) throws IOException {
        if (!path.isAbsolute()) {
            throw new IOException("not an absolute path: " + path);
        }
        try {
            // The common case, a path that exists whole: one realpath(3), where the walk below takes an lstat and
            // its Java objects per component (udsproxyd checks every connection's path this way).
            return path.toRealPath();
        } catch (IOException e) {
            return walk(path, (resolved, symlink) -> { }); // a missing tail (or any other failure, which the walk reports)
        }
    }

    /**
     * Whether {@code path} is written as a canonical path is: absolute, with no empty, {@code .} or {@code ..}
     * component and no trailing slash. Such a path is canonical exactly when none of its components is a symlink,
     * which an open with RESOLVE_NO_SYMLINKS finds out without resolving it first.
     */
    public static boolean isWrittenCanonically(String path) {
        if (path.isEmpty() || path.charAt(0) != '/') {
            return false;
        }
        if (path.length() == 1) {
            return true;
        }
        int start = 1;
        while (start <= path.length()) {
            int end = path.indexOf('/', start);
            if (end < 0) {
                end = path.length();
            }
            int length = end - start;
            if (length == 0 || length == 1 && path.charAt(start) == '.'
                    || length == 2 && path.charAt(start) == '.' && path.charAt(start + 1) == '.') {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    /**
     * The canonical form of {@code path} (absolute), found one component at a time, {@code step} told of every
     * existing one on the way: the directories the path goes through, whatever symlinks lead where.
     */
    public static Path walk(Path path, Step step) throws IOException {
        if (!path.isAbsolute()) {
            throw new IOException("not an absolute path: " + path);
        }
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Path current = path.getRoot();
        step.visit(current, false);
        boolean existing = true;
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
                // back out of a missing tail into what exists: its symlinks are resolved again
                existing = existing || Files.exists(current, LinkOption.NOFOLLOW_LINKS);
                continue;
            }
            Path next = current.resolve(name);
            if (existing) {
                BasicFileAttributes attributes = attributesOrNull(next);
                if (attributes == null) {
                    existing = false;
                } else if (attributes.isSymbolicLink()) {
                    if (++symlinks > MAX_SYMLINKS) {
                        throw new LinuxException("canonical", path.toString(), Errno.ELOOP);
                    }
                    step.visit(next, true);
                    Path target = Files.readSymbolicLink(next);
                    push(pending, target);
                    if (target.isAbsolute()) {
                        current = target.getRoot();
                        step.visit(current, false);
                    }
                    continue;
                } else {
                    step.visit(next, false);
                }
            }
            current = next;
        }
        return current;
    }

    /** Pushes {@code path}'s components so that its first component is popped first. */
    private static void push(Deque<String> pending, Path path) {
        for (int i = path.getNameCount() - 1; i >= 0; i--) {
            pending.push(path.getName(i).toString());
        }
    }

    private static BasicFileAttributes attributesOrNull(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (java.nio.file.FileSystemException e) {
            if (e.getReason() != null && e.getReason().contains("Not a directory")) {
                return null; // a component below a regular file: nothing there, as ENOTDIR
            }
            throw e;
        }
    }
}
