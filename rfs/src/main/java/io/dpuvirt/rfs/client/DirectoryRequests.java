package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.DirEntry;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireReader;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * opendir, readdir, readdirplus and releasedir: a listing is fetched at offset 0 and served by index (see
 * {@link DirectoryListing}). READDIRPLUS hands the kernel each entry's node and attributes with its name, so the
 * lookups that usually follow a listing (ls -l, find, rm -r) need no round trip.
 */
final class DirectoryRequests {
    private final Requests requests;
    private final NodeRequests nodeRequests;
    private final OpenHandles handles;
    private final LocalSockets sockets;
    private final FuseSession session;
    private final NodeTable nodes;
    private final AttrCache attrs;
    private final CacheTimes times;

    DirectoryRequests(Requests requests, NodeRequests nodeRequests, OpenHandles handles, LocalSockets sockets,
                      NodeTable nodes, AttrCache attrs, CacheTimes times) {
        this.requests = requests;
        this.nodeRequests = nodeRequests;
        this.handles = handles;
        this.sockets = sockets;
        this.session = requests.session;
        this.nodes = nodes;
        this.attrs = attrs;
        this.times = times;
    }

    void opendir(FuseRequest request) {
        String path = nodeRequests.path(request);
        if (path == null) {
            return;
        }
        FuseReply reply = session.reply();
        FuseStructs.openOut(reply, handles.addDirectory(new DirectoryListing(path)), 0);
        reply.send(request.unique());
    }

    void releasedir(FuseRequest request) {
        handles.removeDirectory(request.u64(0));
        session.reply().send(request.unique());
    }

    void readdir(FuseRequest request, boolean plus) {
        DirectoryListing listing = handles.directory(request.u64(0));
        if (listing == null) {
            session.error(request.unique(), Errno.EBADF);
            return;
        }
        long offset = request.u64(8);
        int size = request.u32(16);
        long unique = request.unique();
        if (offset == 0 || listing.entries() == null) {
            fetch(request, listing, new ArrayList<>(), 0, () -> answer(unique, listing, offset, size, plus));
        } else {
            answer(unique, listing, offset, size, plus);
        }
    }

    /** Asks for entries from {@code cookie} on until the server says the end is reached, then runs {@code done}. */
    private void fetch(FuseRequest request, DirectoryListing listing, List<DirEntry> collected, long cookie, Runnable done) {
        long unique = request.unique();
        int uid = request.uid(), gid = request.gid();
        requests.send(requests.start(Op.LISTDIR, uid, gid).string(listing.path).u64(cookie), unique,
                result -> continueFetch(unique, uid, gid, listing, collected, result, done));
    }

    private void continueFetch(long unique, int uid, int gid, DirectoryListing listing, List<DirEntry> collected,
                               WireReader result, Runnable done) throws Exception {
        while (result.u8() != 0) {
            DirEntry entry = DirEntry.read(result);
            if (entry.type() != DirEntry.DT_SOCK) { // the HOST's sockets are not shown here (LocalSockets)
                collected.add(entry);
            }
        }
        long next = result.u64();
        boolean end = result.u8() != 0;
        if (!end) {
            // on the link's reader thread: the follow-up must not wait for a reconnect
            requests.link.callNow(requests.start(Op.LISTDIR, uid, gid).string(listing.path).u64(next), (errno, more) -> {
                if (errno != 0) {
                    session.error(unique, errno);
                } else {
                    continueFetch(unique, uid, gid, listing, collected, more, done);
                }
            });
            return;
        }
        collected.addAll(sockets.in(listing.path));
        listing.entries(collected);
        done.run();
    }

    /**
     * fuse_dirent records (fuse_direntplus with {@code plus}) from index {@code offset} on, as many as fit
     * {@code size} bytes; off is the next index. Each entry handed out with a node id counts as a lookup, so an
     * entry is registered only once it is sure to fit.
     */
    private void answer(long unique, DirectoryListing listing, long offset, int size, boolean plus) {
        List<DirEntry> entries = listing.entries();
        FuseReply reply = session.reply();
        for (long index = offset; index < entries.size(); index++) {
            DirEntry entry = entries.get((int) index);
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            int record = ((plus ? ENTRY_OUT : 0) + 24 + name.length + 7) & ~7;
            if (reply.bodyLength() + record > size) {
                break;
            }
            if (plus) {
                entryOut(reply, listing.path, entry);
            }
            reply.u64(entry.ino()).u64(index + 1).u32(name.length).u32(entry.type()).bytes(name).align8();
        }
        reply.send(unique);
    }

    /** fuse_entry_out: the node and its attributes, or node id 0 (the kernel then only lists the name). */
    private void entryOut(FuseReply reply, String directory, DirEntry entry) {
        if (entry.attr() == null) {
            reply.zeros(ENTRY_OUT);
            return;
        }
        long nodeId = nodes.found(NodeTable.child(directory, entry.name()), entry.attr());
        attrs.put(nodeId, entry.attr());
        FuseStructs.entry(reply, nodeId, entry.attr(), times);
    }

    /** sizeof(struct fuse_entry_out). */
    private static final int ENTRY_OUT = 128;
}
