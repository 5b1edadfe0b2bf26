package io.dpuvirt.rfs.server;

import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Path;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECTORY;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;

/**
 * One exported directory tree, held by a descriptor opened once: every request is resolved beneath it with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS), so neither {@code ..}, nor a symlink (absolute, relative or
 * magic), nor a directory swapped for a symlink between a check and a use can lead outside. No symlink is ever
 * followed here: the DPU's kernel follows symlinks itself, one component at a time, by asking for each.
 *
 * <p>Relative paths are also what the whitelist is checked on: with no symlink and no {@code ..} in them, root
 * plus relative path is the canonical path of what is reached.
 */
public final class Export implements AutoCloseable {
    private static final long RESOLVE = FileCalls.RESOLVE_BENEATH | FileCalls.RESOLVE_NO_SYMLINKS;

    private final String canonicalRoot;
    private final int rootFd;

    private Export(String canonicalRoot, int rootFd) {
        this.canonicalRoot = canonicalRoot;
        this.rootFd = rootFd;
    }

    /** Opens {@code path} (absolute, on this machine), resolved once through its symlinks as it is now. */
    public static Export open(String path) throws IOException {
        String canonical = CanonicalPaths.canonical(Path.of(path)).toString();
        int fd = Libc.open(canonical, O_PATH | O_DIRECTORY | O_CLOEXEC, 0);
        return new Export(canonical, fd);
    }

    public String root() {
        return canonicalRoot;
    }

    /** The canonical path of {@code relative} on this machine (what the whitelist is checked on). */
    public String canonical(String relative) {
        if (relative.isEmpty()) {
            return canonicalRoot;
        }
        return canonicalRoot.equals("/") ? "/" + relative : canonicalRoot + "/" + relative;
    }

    /**
     * Refuses anything but plain relative paths: no leading or doubled slash, no {@code .} or {@code ..}, no NUL.
     * openat2 would contain them anyway; refusing them keeps whitelist paths canonical.
     */
    static void validate(String relative) throws LinuxException {
        if (relative.isEmpty()) {
            return;
        }
        if (relative.indexOf('\0') >= 0) {
            throw new LinuxException("rfs path", relative, Errno.EINVAL);
        }
        int start = 0;
        while (true) {
            int slash = relative.indexOf('/', start);
            int end = slash < 0 ? relative.length() : slash;
            String component = relative.substring(start, end);
            if (component.isEmpty() || component.equals(".") || component.equals("..")) {
                throw new LinuxException("rfs path", relative, Errno.EINVAL);
            }
            if (slash < 0) {
                return;
            }
            start = slash + 1;
        }
    }

    /** An O_PATH descriptor of the node itself (a final symlink is not followed: the link is returned). */
    int openNode(String relative) throws LinuxException {
        validate(relative);
        return FileCalls.openat2(rootFd, relative.isEmpty() ? "." : relative, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0, RESOLVE);
    }

    /** Opens the node for I/O; a final symlink fails with ELOOP. {@code mode} counts only with O_CREAT. */
    int openFile(String relative, int flags, int mode) throws LinuxException {
        validate(relative);
        return FileCalls.openat2(rootFd, relative.isEmpty() ? "." : relative, flags | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY,
                (flags & O_CREAT) != 0 ? mode & 07777 : 0, RESOLVE); // openat2 refuses file type bits in the mode
    }

    /** The directory holding {@code relative} and the last component's name, for the *at calls that create or remove. */
    Parent openParent(String relative) throws LinuxException {
        validate(relative);
        if (relative.isEmpty()) {
            throw new LinuxException("rfs", "the export root has no parent", Errno.EBUSY);
        }
        int slash = relative.lastIndexOf('/');
        String directory = slash < 0 ? "." : relative.substring(0, slash);
        int fd = FileCalls.openat2(rootFd, directory, O_PATH | O_DIRECTORY | O_CLOEXEC, 0, RESOLVE);
        return new Parent(fd, slash < 0 ? "" : directory, relative.substring(slash + 1));
    }

    /**
     * A directory descriptor, the directory's relative path and a single name in it; closing releases the
     * descriptor.
     */
    record Parent(int fd, String path, String name) implements AutoCloseable {
        @Override
        public void close() {
            Libc.close(fd);
        }
    }

    @Override
    public void close() {
        Libc.close(rootFd);
    }
}
