package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.DirEntry;
import io.dpuvirt.rfs.wire.Op;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * opendir, readdir, readdirplus and releasedir: a listing (names, inode numbers and types) is fetched at offset 0
 * and served by index (see {@link DirectoryListing}). READDIRPLUS hands the kernel each entry's node and attributes
 * with its name, looked up on the HOST in one round trip for the entries of that reply only; so a plain listing
 * costs no inode reads on the HOST, and the lookups that follow one are looked ahead ({@link LookAhead}).
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
    private final LookAhead lookAhead;
    private final BatchLookups batch;
    private final Listings listings;
    private final KnownNames knownNames;

    DirectoryRequests(Requests requests, NodeRequests nodeRequests, OpenHandles handles, LocalSockets sockets,
                      NodeTable nodes, AttrCache attrs, CacheTimes times, LookAhead lookAhead, BatchLookups batch,
                      Listings listings, KnownNames knownNames) {
        this.requests = requests;
        this.nodeRequests = nodeRequests;
        this.handles = handles;
        this.sockets = sockets;
        this.session = requests.session;
        this.nodes = nodes;
        this.attrs = attrs;
        this.times = times;
        this.lookAhead = lookAhead;
        this.batch = batch;
        this.listings = listings;
        this.knownNames = knownNames;
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
        int uid = request.uid(), gid = request.gid();
        if (offset == 0 || listing.entries() == null) {
            long token = knownNames.fetching(listing.path);
            listings.fetch(listing.path, uid, gid, false, entries -> {
                knownNames.listed(listing.path, entries, token);
                entries.addAll(sockets.in(listing.path));
                listing.entries(entries);
                lookAhead.listed(listing.path, entries);
                answer(unique, uid, gid, listing, offset, size, plus, true);
            }, errno -> {
                knownNames.abandoned(listing.path, token);
                session.error(unique, errno);
            });
        } else {
            answer(unique, uid, gid, listing, offset, size, plus, false);
        }
    }

    /**
     * fuse_dirent records (fuse_direntplus with {@code plus}) from index {@code offset} on, as many as fit
     * {@code size} bytes; off is the next index. {@code onReader}: called on the link's reader thread.
     */
    private void answer(long unique, int uid, int gid, DirectoryListing listing, long offset, int size, boolean plus,
                        boolean onReader) {
        List<DirEntry> entries = listing.entries();
        int from = (int) Math.min(offset, entries.size());
        int to = from;
        // with plus, the names are looked up in one LOOKUPS request, which carries at most MAX_LOOKUPS (the server
        // refuses more, ending the connection); a kernel since 6.16 may offer a buffer with room for more than that
        int most = plus ? Op.MAX_LOOKUPS : Integer.MAX_VALUE;
        for (int bytes = 0; to < entries.size() && to - from < most; to++) {
            int record = recordLength(entries.get(to), plus);
            if (bytes + record > size) {
                break;
            }
            bytes += record;
        }
        List<DirEntry> chunk = entries.subList(from, to);
        List<String> names = plus ? chunk.stream().filter(DirectoryRequests::fromHost).map(DirEntry::name).toList() : List.of();
        if (names.isEmpty()) {
            reply(unique, listing.path, chunk, from, plus, Map.of());
            return;
        }
        batch.send(listing.path, names, uid, gid, unique, onReader, found -> {
            Map<String, Attr> attributes = new HashMap<>();
            for (BatchLookups.Found answer : found) {
                if (answer.attr() != null && (answer.attr().mode() & Attr.S_IFMT) != Attr.S_IFSOCK) {
                    attributes.put(answer.name(), answer.attr());
                }
            }
            reply(unique, listing.path, chunk, from, true, attributes);
        });
    }

    /**
     * Writes the records of {@code chunk} (index {@code first} on); with {@code plus} each entry also carries its
     * node and attributes where the HOST gave them. Each entry handed out with a node id counts as a lookup.
     */
    private void reply(long unique, String directory, List<DirEntry> chunk, int first, boolean plus,
                       Map<String, Attr> attributes) {
        FuseReply reply = session.reply();
        for (int i = 0; i < chunk.size(); i++) {
            DirEntry entry = chunk.get(i);
            byte[] name = entry.name().getBytes(StandardCharsets.UTF_8);
            if (plus) {
                entryOut(reply, directory, entry.name(), attributes.get(entry.name()));
            }
            reply.u64(entry.ino()).u64(first + i + 1L).u32(name.length).u32(entry.type()).bytes(name).align8();
        }
        reply.send(unique);
    }

    /** fuse_entry_out: the node and its attributes, or node id 0 (the kernel then only lists the name). */
    private void entryOut(FuseReply reply, String directory, String name, Attr attr) {
        if (attr == null) {
            reply.zeros(ENTRY_OUT);
            return;
        }
        long nodeId = nodes.found(NodeTable.child(directory, name), attr);
        attrs.put(nodeId, attr);
        FuseStructs.entry(reply, nodeId, attr, times);
    }

    /** Entries whose attributes the HOST gives: not "." and "..", nor this side's own socket nodes. */
    private static boolean fromHost(DirEntry entry) {
        return entry.type() != DirEntry.DT_SOCK && !entry.name().equals(".") && !entry.name().equals("..");
    }

    private static int recordLength(DirEntry entry, boolean plus) {
        return ((plus ? ENTRY_OUT : 0) + 24 + entry.name().getBytes(StandardCharsets.UTF_8).length + 7) & ~7;
    }

    /** sizeof(struct fuse_entry_out). */
    private static final int ENTRY_OUT = 128;
}
