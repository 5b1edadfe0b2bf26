package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.WireWriter;

import static io.dpuvirt.common.linux.FileCalls.AT_EMPTY_PATH;
import static io.dpuvirt.common.linux.FileCalls.AT_SYMLINK_NOFOLLOW;

/** Attributes of nodes in an export, read with statx on descriptors (never on paths that could be swapped). */
final class Nodes {
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

    /**
     * A changed directory's attributes as they are now (u8 1, Attr): the client can then answer the GETATTR the
     * DPU's kernel sends for the directory after each change in it without a round trip (every create or unlink in
     * a directory makes the kernel forget the directory's attributes). u8 0 where the whitelist hides them.
     */
    static void writeDirectory(WireWriter out, Export.Parent parent, Guard guard) {
        if (!guard.allows(Section.GETATTR, parent.path())) {
            out.u8(0);
            return;
        }
        Attr attr;
        try {
            attr = stat(parent.fd());
        } catch (LinuxException e) {
            out.u8(0); // the change is made: the client only misses a shortcut
            return;
        }
        out.u8(1);
        attr.write(out);
    }

    /** The path through which a descriptor reaches its node again (chmod, xattrs, re-open). */
    static String procPath(int fd) {
        return "/proc/self/fd/" + fd;
    }
}
