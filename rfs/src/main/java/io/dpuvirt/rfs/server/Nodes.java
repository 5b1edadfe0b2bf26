package io.dpuvirt.rfs.server;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.rfs.wire.Attr;

/** Attributes of nodes in an export, read with statx on descriptors (never on paths that could be swapped). */
final class Nodes {
    static final int AT_EMPTY_PATH = 0x1000, AT_SYMLINK_NOFOLLOW = 0x100, AT_REMOVEDIR = 0x200;

    private Nodes() {
    }

    static Attr stat(int fd) throws LinuxException {
        Scratch scratch = Scratch.get();
        FileCalls.statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, Attr.STATX_BASIC_STATS, scratch.statx);
        return Attr.ofStatx(scratch.statx);
    }

    static Attr stat(Export export, String relative) throws LinuxException {
        int fd = export.openNode(relative);
        try {
            return stat(fd);
        } finally {
            Libc.close(fd);
        }
    }

    /** The path through which a descriptor reaches its node again (chmod, xattrs, re-open). */
    static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }
}
