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

    public static Path canonical(Path path) throws IOException {
        if (!path.isAbsolute()) {
            throw new IOException("not an absolute path: " + path);
        }
        try {
            // The common case, a path that exists whole: one realpath(3), where the walk below takes an lstat and
            // its Java objects per component (udsproxyd checks every connection's path this way).
            return path.toRealPath();
        } catch (IOException e) {
            return walk(path); // a missing tail (or any other failure, which the walk reports as it finds it)
        }
    }

    private static Path walk(Path path) throws IOException {
        Deque<String> pending = new ArrayDeque<>();
        push(pending, path);
        Path current = path.getRoot();
        boolean existing = true;
        int symlinks = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                current = current.getParent() == null ? current : current.getParent();
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
                    Path target = Files.readSymbolicLink(next);
                    push(pending, target);
                    if (target.isAbsolute()) {
                        current = target.getRoot();
                    }
                    continue;
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
