package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.StatFs;

import java.time.Duration;

/** The kernel's reply structures (fuse_attr, fuse_entry_out, fuse_attr_out, fuse_open_out, fuse_kstatfs) from rfs records. */
final class FuseStructs {
    static final int FOPEN_DIRECT_IO = 1;

    private FuseStructs() {
    }

    static void attr(FuseReply reply, Attr attr) {
        reply.u64(attr.ino()).u64(attr.size()).u64(attr.blocks()).u64(attr.atime()).u64(attr.mtime()).u64(attr.ctime())
                .u32(attr.atimeNs()).u32(attr.mtimeNs()).u32(attr.ctimeNs()).u32(attr.mode()).u32(attr.nlink())
                .u32(attr.uid()).u32(attr.gid()).u32(encodeDevice(attr.rdevMajor(), attr.rdevMinor()))
                .u32(attr.blksize()).u32(0);
    }

    static void entry(FuseReply reply, long nodeId, Attr attr, CacheTimes times) {
        entry(reply, nodeId, attr, times.entry(), times.attr());
    }

    static void entry(FuseReply reply, long nodeId, Attr attr, Duration entryValid, Duration attrValid) {
        reply.u64(nodeId).u64(0).u64(entryValid.getSeconds()).u64(attrValid.getSeconds())
                .u32(entryValid.getNano()).u32(attrValid.getNano());
        attr(reply, attr);
    }

    /** "No such name", remembered by the kernel for the negative timeout (node id 0). */
    static void negativeEntry(FuseReply reply, CacheTimes times) {
        negativeEntry(reply, times.negative());
    }

    static void negativeEntry(FuseReply reply, Duration valid) {
        reply.u64(0).u64(0).u64(valid.getSeconds()).u64(0).u32(valid.getNano()).u32(0).zeros(88);
    }

    static void attrOut(FuseReply reply, Attr attr, Duration valid) {
        reply.u64(valid.getSeconds()).u32(valid.getNano()).u32(0);
        attr(reply, attr);
    }

    static void openOut(FuseReply reply, long handle, int flags) {
        reply.u64(handle).u32(flags).u32(0);
    }

    static void statfs(FuseReply reply, StatFs statfs) {
        reply.u64(statfs.blocks()).u64(statfs.bfree()).u64(statfs.bavail()).u64(statfs.files()).u64(statfs.ffree())
                .u32(statfs.bsize()).u32(statfs.namelen()).u32(statfs.frsize()).u32(0).zeros(24);
    }

    /** The kernel's new_encode_dev: what fuse_attr.rdev holds. */
    static int encodeDevice(int major, int minor) {
        return (minor & 0xff) | (major << 8) | ((minor & ~0xff) << 12);
    }
}
