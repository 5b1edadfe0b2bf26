package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.StatFs;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.List;

/**
 * FUSE requests about names and attributes, translated to rfs requests on paths: lookup, getattr, setattr,
 * readlink, mknod, mkdir, symlink, link, unlink, rmdir, rename, statfs and the extended attributes.
 */
final class NodeRequests {
    private static final int RENAME_EXCHANGE = 2;

    private final Requests requests;
    private final NodeTable nodes;
    private final LocalSockets sockets;
    private final CacheTimes times;
    private final FuseSession session;
    private final CapabilityCache capabilities;
    private final AttrCache attrs;
    private final LookAhead lookAhead;
    private final BatchLookups batch;
    private final KnownNames knownNames;
    private final Listings listings;

    NodeRequests(Requests requests, NodeTable nodes, LocalSockets sockets, CacheTimes times, AttrCache attrs,
                 CapabilityCache capabilities, LookAhead lookAhead, BatchLookups batch, KnownNames knownNames,
                 Listings listings) {
        this.requests = requests;
        this.nodes = nodes;
        this.sockets = sockets;
        this.times = times;
        this.session = requests.session;
        this.capabilities = capabilities;
        this.attrs = attrs;
        this.lookAhead = lookAhead;
        this.batch = batch;
        this.knownNames = knownNames;
        this.listings = listings;
    }

    /** The path of the request's node, or null after answering ESTALE (a node the table no longer maps). */
    String path(FuseRequest request) {
        return path(request, request.nodeId());
    }

    String path(FuseRequest request, long nodeId) {
        String path = nodes.path(nodeId);
        if (path == null) {
            // a local socket node has no HOST path: only what LocalSockets serves applies to it
            session.error(request.unique(), sockets.byId(nodeId) != null ? Errno.EOPNOTSUPP : Errno.ESTALE);
        }
        return path;
    }

    void lookup(FuseRequest request) {
        String parent = path(request);
        if (parent == null) {
            return;
        }
        String name = request.string(0);
        String path = NodeTable.child(parent, name);
        LocalSockets.Socket socket = sockets.at(path);
        if (socket != null) {
            nodes.refer(socket.nodeId());
            replyEntry(request.unique(), socket.nodeId(), socket.attr());
            return;
        }
        long unique = request.unique();
        if (answeredHere(unique, parent, name, path)) {
            return;
        }
        if (knownNames.worthFetching(parent)) { // in the background: this lookup goes on as usual
            long token = knownNames.fetching(parent);
            listings.fetch(parent, request.uid(), request.gid(), false, entries -> knownNames.listed(parent, entries, token),
                    errno -> knownNames.abandoned(parent, token));
        }
        List<String> names = lookAhead.plan(parent, name);
        if (names != null && names.size() > 1) {
            lookAhead(unique, request.uid(), request.gid(), parent, names, path);
            return;
        }
        WireWriter out = requests.start(Op.LOOKUP, request).string(path);
        requests.link.call(out, (errno, result) -> {
            if (errno == Errno.ENOENT) {
                entryFor(unique, path, null);
            } else if (errno != 0) {
                session.error(unique, errno);
            } else {
                entryFor(unique, path, Attr.read(result));
            }
        });
    }

    /** Answers from what this client knows (see {@link KnownNames}, {@link LookAhead}), if it can. */
    private boolean answeredHere(long unique, String parent, String name, String path) {
        long absent = knownNames.absent(parent, name);
        if (absent > 0) {
            entryFor(unique, path, null, 0, Duration.ofNanos(absent));
            return true;
        }
        LookAhead.Answer kept = lookAhead.take(parent, name);
        if (kept != null) {
            entryFor(unique, path, kept.attr(), kept.received(), Duration.ofNanos(lookAhead.remaining(kept)));
            return true;
        }
        return false;
    }

    /** Looks up {@code names} (the first is the one asked for) in one round trip; the others are kept. */
    private void lookAhead(long unique, int uid, int gid, String parent, List<String> names, String path) {
        long sentAt = lookAhead.sequence();
        batch.send(parent, names, uid, gid, unique, false, found -> {
            lookAhead.keep(parent, found, sentAt);
            BatchLookups.Found first = found.getFirst();
            if (first.attr() == null && !BatchLookups.absent(first)) {
                session.error(unique, first.errno());
            } else {
                entryFor(unique, path, first.attr());
            }
        });
    }

    /** Answers with the node at {@code path} (null: none); the HOST's socket nodes are not shown (see {@link LocalSockets}). */
    private void entryFor(long unique, String path, Attr attr) {
        entryFor(unique, path, attr, System.nanoTime(), null);
    }

    /** The same with attributes received at {@code received}, trusted for {@code valid} (null: the full cache times). */
    private void entryFor(long unique, String path, Attr attr, long received, Duration valid) {
        FuseReply reply = session.reply();
        if (attr == null || (attr.mode() & Attr.S_IFMT) == Attr.S_IFSOCK) {
            FuseStructs.negativeEntry(reply, valid != null ? valid : times.negative());
        } else {
            long nodeId = nodes.found(path, attr);
            attrs.put(nodeId, attr, received);
            if (valid != null) {
                FuseStructs.entry(reply, nodeId, attr, valid, valid);
            } else {
                FuseStructs.entry(reply, nodeId, attr, times);
            }
        }
        reply.send(unique);
    }

    private void replyEntry(long unique, long nodeId, Attr attr) {
        FuseReply reply = session.reply();
        FuseStructs.entry(reply, nodeId, attr, times);
        reply.send(unique);
    }

    private void replyAttr(long unique, Attr attr) {
        FuseReply reply = session.reply();
        FuseStructs.attrOut(reply, attr, times.attr());
        reply.send(unique);
    }

    private void replyAttr(long unique, long nodeId, Attr attr) {
        attrs.put(nodeId, attr);
        replyAttr(unique, attr);
    }

    void getattr(FuseRequest request, long serverHandle) {
        LocalSockets.Socket socket = sockets.byId(request.nodeId());
        if (socket != null) {
            replyAttr(request.unique(), socket.attr());
            return;
        }
        AttrCache.Entry cached = attrs.fresh(request.nodeId());
        if (cached != null) {
            FuseReply reply = session.reply();
            FuseStructs.attrOut(reply, cached.attr(), attrs.remaining(cached));
            reply.send(request.unique());
            return;
        }
        String path = path(request);
        if (path == null) {
            return;
        }
        long unique = request.unique();
        long nodeId = request.nodeId();
        WireWriter out = requests.start(Op.GETATTR, request).string(path).u64(serverHandle);
        requests.send(out, unique, result -> replyAttr(unique, nodeId, Attr.read(result)));
    }

    void setattr(FuseRequest request, long serverHandle) {
        int valid = request.u32(0);
        LocalSockets.Socket socket = sockets.byId(request.nodeId());
        if (socket != null) {
            replyAttr(request.unique(), updateLocal(socket, request, valid));
            return;
        }
        String path = path(request);
        if (path == null) {
            return;
        }
        long unique = request.unique();
        long nodeId = request.nodeId();
        attrs.forget(nodeId);
        WireWriter out = requests.start(Op.SETATTR, request).string(path).u64(serverHandle).u32(valid)
                .u32(request.u32(68)).u32(request.u32(76)).u32(request.u32(80)).u64(request.u64(16))
                .u64(request.u64(32)).u32(request.u32(56)).u64(request.u64(40)).u32(request.u32(60));
        requests.send(out, unique, result -> {
            lookAhead.changed();
            replyAttr(unique, nodeId, Attr.read(result));
        });
    }

    /** chmod, chown and utimes of a local socket node change only what this client remembers. */
    private Attr updateLocal(LocalSockets.Socket socket, FuseRequest request, int valid) {
        Attr a = socket.attr();
        long now = System.currentTimeMillis() / 1000;
        Attr updated = new Attr(a.ino(), a.size(), a.blocks(),
                (valid & 128) != 0 ? now : (valid & 16) != 0 ? request.u64(32) : a.atime(),
                (valid & 16) != 0 && (valid & 128) == 0 ? request.u32(56) : a.atimeNs(),
                (valid & 256) != 0 ? now : (valid & 32) != 0 ? request.u64(40) : a.mtime(),
                (valid & 32) != 0 && (valid & 256) == 0 ? request.u32(60) : a.mtimeNs(),
                now, 0, (valid & 1) != 0 ? (a.mode() & Attr.S_IFMT) | (request.u32(68) & 07777) : a.mode(), a.nlink(),
                (valid & 2) != 0 ? request.u32(76) : a.uid(), (valid & 4) != 0 ? request.u32(80) : a.gid(),
                0, 0, a.blksize(), a.dev());
        sockets.update(socket.nodeId(), updated);
        return updated;
    }

    void readlink(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        long unique = request.unique();
        requests.send(requests.start(Op.READLINK, request).string(path), unique,
                result -> session.reply().bytes(result.blob()).send(unique));
    }

    void mknod(FuseRequest request) {
        String parent = path(request);
        if (parent == null) {
            return;
        }
        int mode = request.u32(0);
        String path = NodeTable.child(parent, request.string(16));
        if ((mode & Attr.S_IFMT) == Attr.S_IFSOCK) {
            makeLocalSocket(request, path, mode);
            return;
        }
        creating(request, path, null, requests.start(Op.MKNOD, request).string(path).u32(mode).u32(request.u32(4)));
    }

    /** bind() in the mount: the node exists only on this side (see {@link LocalSockets}). */
    private void makeLocalSocket(FuseRequest request, String path, int mode) {
        long now = System.currentTimeMillis() / 1000;
        long nodeId = nodes.newLocal();
        Attr attr = new Attr(nodeId | (1L << 62), 0, 0, now, 0, now, 0, now, 0, mode, 1, request.uid(), request.gid(), 0, 0, 4096, -1);
        sockets.add(path, new LocalSockets.Socket(nodeId, attr));
        replyEntry(request.unique(), nodeId, attr);
    }

    void mkdir(FuseRequest request) {
        String parent = path(request);
        if (parent == null) {
            return;
        }
        String path = NodeTable.child(parent, request.string(8));
        creating(request, path, null, requests.start(Op.MKDIR, request).string(path).u32(request.u32(0)));
    }

    void symlink(FuseRequest request) {
        String parent = path(request);
        if (parent == null) {
            return;
        }
        String path = NodeTable.child(parent, request.string(0));
        String target = request.string(request.after(0));
        creating(request, path, null, requests.start(Op.SYMLINK, request).string(path).blob(target.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    void link(FuseRequest request) {
        String from = path(request, request.u64(0));
        String parent = from == null ? null : path(request);
        if (parent == null) {
            return;
        }
        String path = NodeTable.child(parent, request.string(8));
        attrs.forget(request.u64(0)); // its link count moves; its other names are the same node
        creating(request, path, nodes.inodeAt(from), requests.start(Op.LINK, request).string(from).string(path));
    }

    /** A new name at {@code path}; {@code linked}: the inode it names already had others (link), or null. */
    private void creating(FuseRequest request, String path, NodeTable.Inode linked, WireWriter out) {
        long directory = request.nodeId();
        attrs.forget(directory); // the directory's times and link count change
        long unique = request.unique();
        long sent = System.nanoTime();
        requests.send(out, unique, result -> {
            lookAhead.named(path, linked);
            knownNames.added(path);
            Attr attr = Attr.read(result);
            if (attr.isDirectory()) {
                knownNames.made(path, sent); // empty when it was asked for
            }
            directoryChanged(directory, result);
            entryFor(unique, path, attr);
        });
    }

    /**
     * Keeps the attributes the server sent for a directory it just changed (see {@code Op}'s "Directory"): the
     * kernel forgets its own copy after each change in a directory and asks again at the next path walk through it.
     */
    void directoryChanged(long nodeId, WireReader result) throws WireException {
        if (result.u8() == 0) {
            return;
        }
        Attr attr = Attr.read(result);
        if (nodes.holds(nodeId, attr)) {
            attrs.put(nodeId, attr);
        }
    }

    void unlink(FuseRequest request, boolean directory) {
        String parent = path(request);
        if (parent == null) {
            return;
        }
        String path = NodeTable.child(parent, request.string(0));
        if (!directory && sockets.remove(path)) {
            session.reply().send(request.unique());
            return;
        }
        long unique = request.unique();
        long parentId = request.nodeId();
        forgetNodeAt(path);
        requests.send(requests.start(directory ? Op.RMDIR : Op.UNLINK, request).string(path), unique, result -> {
            lookAhead.named(path, nodes.inodeAt(path));
            knownNames.removed(path);
            nodes.removed(path);
            directoryChanged(parentId, result);
            session.reply().send(unique);
        });
    }

    /**
     * The attributes kept for the node named {@code path} go (its link count and change time are about to move):
     * one node stands for all the names of a HOST inode, so its other names are covered. The directory's own
     * attributes come with the reply. Every node's go where the name is not known here.
     */
    private void forgetNodeAt(String path) {
        long nodeId = nodes.idAt(path);
        if (nodeId == 0) {
            attrs.forgetAll();
        } else {
            attrs.forget(nodeId);
        }
    }

    /** RENAME (body: newdir, names) and RENAME2 (newdir, flags, padding, names). */
    void rename(FuseRequest request, boolean withFlags) {
        String parent = path(request);
        String newParent = parent == null ? null : path(request, request.u64(0));
        if (newParent == null) {
            return;
        }
        int flags = withFlags ? request.u32(8) : 0;
        long names = withFlags ? 16 : 8;
        String from = NodeTable.child(parent, request.string(names));
        String to = NodeTable.child(newParent, request.string(request.after(names)));
        if (sockets.at(from) != null) {
            renameLocalSocket(request.unique(), from, to, flags);
            return;
        }
        long unique = request.unique();
        long fromDirectory = request.nodeId(), toDirectory = request.u64(0);
        attrs.forgetAll();
        requests.send(requests.start(Op.RENAME, request).string(from).string(to).u32(flags), unique, result -> {
            lookAhead.changed();
            knownNames.forgetAll();
            nodes.renamed(from, to, (flags & RENAME_EXCHANGE) != 0);
            directoryChanged(fromDirectory, result);
            directoryChanged(toDirectory, result);
            session.reply().send(unique);
        });
    }

    /** A local socket node moves within this client; it cannot be exchanged with a HOST node. */
    private void renameLocalSocket(long unique, String from, String to, int flags) {
        if (flags != 0) {
            session.error(unique, Errno.EINVAL);
            return;
        }
        sockets.remove(to);
        sockets.rename(from, to);
        session.reply().send(unique);
    }

    void statfs(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        long unique = request.unique();
        requests.send(requests.start(Op.STATFS, request).string(path), unique, result -> {
            FuseReply reply = session.reply();
            FuseStructs.statfs(reply, StatFs.read(result));
            reply.send(unique);
        });
    }

    void getxattr(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        int size = request.u32(0);
        String name = request.string(8);
        long nodeId = request.nodeId();
        boolean capability = name.equals(CapabilityCache.NAME);
        if (capability && capabilities.knownAbsent(nodeId)) {
            session.error(request.unique(), Errno.ENODATA);
            return;
        }
        long unique = request.unique();
        requests.link.call(requests.start(Op.GETXATTR, request).string(path).string(name).u32(size), (errno, result) -> {
            if (errno == Errno.ENODATA && capability) {
                capabilities.absent(nodeId);
            }
            if (errno != 0) {
                session.error(unique, errno);
            } else {
                replySized(unique, size, result);
            }
        });
    }

    void listxattr(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        int size = request.u32(0);
        sized(request.unique(), size, requests.start(Op.LISTXATTR, request).string(path).u32(size));
    }

    /** The xattr convention: asked with size 0, a fuse_getxattr_out with the size; otherwise the bytes. */
    private void sized(long unique, int size, WireWriter out) {
        requests.send(out, unique, result -> replySized(unique, size, result));
    }

    private void replySized(long unique, int size, WireReader result) throws Exception {
        int length = result.u32();
        FuseReply reply = session.reply();
        if (size == 0) {
            reply.u32(length).u32(0);
        } else {
            reply.bytes(result.blob());
        }
        reply.send(unique);
    }

    void setxattr(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        int size = request.u32(0);
        int flags = request.u32(4);
        String name = request.string(8);
        MemorySegment value = request.body().asSlice(request.after(8), size);
        capabilities.changed(request.nodeId());
        attrs.forget(request.nodeId());
        requests.sendEmpty(requests.start(Op.SETXATTR, request).string(path).string(name).blob(value).u32(flags),
                request.unique(), lookAhead::changed);
    }

    void removexattr(FuseRequest request) {
        String path = path(request);
        if (path == null) {
            return;
        }
        capabilities.changed(request.nodeId());
        attrs.forget(request.nodeId());
        requests.sendEmpty(requests.start(Op.REMOVEXATTR, request).string(path).string(request.string(0)), request.unique(),
                lookAhead::changed);
    }
}
