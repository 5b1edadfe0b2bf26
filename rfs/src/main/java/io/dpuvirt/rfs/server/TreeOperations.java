package io.dpuvirt.rfs.server;

import io.dpuvirt.common.config.Whitelist.Section;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.RenameCalls;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static io.dpuvirt.common.linux.FileCalls.AT_EMPTY_PATH;
import static io.dpuvirt.common.linux.FileCalls.AT_REMOVEDIR;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;

/**
 * Operations that add names to the tree or take them away: mknod, mkdir, symlink, link, unlink, rmdir, rename.
 * Each reply ends with the attributes of the directories it changed ({@link Nodes#writeDirectory}).
 */
final class TreeOperations {
    /** What a file's name gives over the file itself: a hard link must not widen them. */
    private static final List<Section> NAME_RIGHTS = List.of(Section.OPEN, Section.READ, Section.WRITE, Section.SETATTR, Section.SETXATTR);

    private final Export export;
    private final Guard guard;

    TreeOperations(Export export, Guard guard) {
        this.export = export;
        this.guard = guard;
    }

    void mknod(WireReader in, WireWriter out, Caller caller) throws LinuxException, WireException {
        String path = in.string();
        int mode = in.u32();
        int rdev = in.u32();
        guard.require(Section.CREATE, path);
        try (Export.Parent parent = export.openParent(path)) {
            FileCalls.mknodat(parent.fd(), parent.name(), mode, linuxDevice(rdev));
            giveTo(parent, caller);
            Nodes.stat(export, path).write(out);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    void mkdir(WireReader in, WireWriter out, Caller caller) throws LinuxException, WireException {
        String path = in.string();
        int mode = in.u32();
        guard.require(Section.MKDIR, path);
        try (Export.Parent parent = export.openParent(path)) {
            FileCalls.mkdirat(parent.fd(), parent.name(), mode);
            giveTo(parent, caller);
            Nodes.stat(export, path).write(out);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    void symlink(WireReader in, WireWriter out, Caller caller) throws LinuxException, WireException {
        String path = in.string();
        String target = new String(in.blob().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE), StandardCharsets.UTF_8);
        guard.require(Section.SYMLINK, path);
        try (Export.Parent parent = export.openParent(path)) {
            // the target is only text here: the DPU's kernel is what follows it, inside the DPU's view
            FileCalls.symlinkat(target, parent.fd(), parent.name());
            giveTo(parent, caller);
            Nodes.stat(export, path).write(out);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    void link(WireReader in, WireWriter out) throws LinuxException, WireException {
        String from = in.string();
        String to = in.string();
        guard.require(Section.LOOKUP, from);
        guard.require(Section.LINK, to);
        // the new name is the same file: it must not give what the whitelist withholds under the old one (a file kept
        // read-only, linked into a directory under [Write], could otherwise be written through its new name)
        for (Section right : NAME_RIGHTS) {
            if (guard.allows(right, to)) {
                guard.require(right, from);
            }
        }
        try (Export.Parent source = export.openParent(from); Export.Parent target = export.openParent(to)) {
            FileCalls.linkat(source.fd(), source.name(), target.fd(), target.name(), 0);
            Nodes.stat(export, to).write(out);
            Nodes.writeDirectory(out, target, guard);
        }
    }

    void unlink(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        guard.require(Section.UNLINK, path);
        try (Export.Parent parent = export.openParent(path)) {
            FileCalls.unlinkat(parent.fd(), parent.name(), 0);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    void rmdir(WireReader in, WireWriter out) throws LinuxException, WireException {
        String path = in.string();
        guard.require(Section.RMDIR, path);
        try (Export.Parent parent = export.openParent(path)) {
            FileCalls.unlinkat(parent.fd(), parent.name(), AT_REMOVEDIR);
            Nodes.writeDirectory(out, parent, guard);
        }
    }

    void rename(WireReader in, WireWriter out) throws LinuxException, WireException {
        String from = in.string();
        String to = in.string();
        int flags = in.u32();
        guard.require(Section.RENAME, from);
        guard.require(Section.RENAME, to);
        try (Export.Parent source = export.openParent(from); Export.Parent target = export.openParent(to)) {
            RenameCalls.renameat2(source.fd(), source.name(), target.fd(), target.name(), flags);
            Nodes.writeDirectory(out, source, guard);
            Nodes.writeDirectory(out, target, guard);
        }
    }

    /**
     * The server creates as root; the node then goes to the caller, as if the caller had made it. In a set-group-ID
     * directory the group the kernel chose (the directory's) stays. The node is changed through a descriptor of what
     * is at its name now, and only if that is still a node this server just made: root's, and for anything but a
     * directory its only link. Whoever may write in the directory could otherwise swap in, between the create and the
     * chown, a hard link to another file and have it given to the caller.
     */
    private static void giveTo(Export.Parent parent, Caller caller) throws LinuxException {
        if (caller.isRoot()) {
            return;
        }
        int fd = FileCalls.openat(parent.fd(), parent.name(), O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        try {
            Attr node = Nodes.stat(fd);
            if (node.uid() != 0 || (!node.isDirectory() && node.nlink() != 1)) {
                Log.warn("not giving " + parent.name() + " to uid " + caller.uid() + ": what is at its name is no longer the node just made");
                return;
            }
            boolean inheritGroup = (Nodes.stat(parent.fd()).mode() & Attr.S_ISGID) != 0;
            FileCalls.fchownat(fd, "", caller.uid(), inheritGroup ? -1 : caller.gid(), AT_EMPTY_PATH);
        } finally {
            Libc.close(fd);
        }
    }

    /** FUSE's rdev is the kernel's new_encode_dev; mknod wants glibc's dev_t. */
    static long linuxDevice(int rdev) {
        long major = (rdev & 0xfff00) >>> 8;
        long minor = (rdev & 0xff) | ((rdev >>> 12) & 0xfff00);
        return ((major & 0xfffff000L) << 32) | ((major & 0xfff) << 8) | ((minor & 0xffffff00L) << 12) | (minor & 0xff);
    }
}
