package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.DirEntry;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/**
 * Fetches a directory's whole listing from the HOST: LISTDIR from cookie 0 on, as many requests as it takes. The
 * HOST's socket nodes are left out (see {@link LocalSockets}).
 */
final class Listings {
    /** Receives the entries; runs on the link's reader thread. */
    @FunctionalInterface
    interface Listed {
        void accept(List<DirEntry> entries) throws Exception;
    }

    /** Receives the errno of a request that failed; runs on the link's reader thread. */
    @FunctionalInterface
    interface Failed {
        void accept(int errno) throws Exception;
    }

    private final Requests requests;

    Listings(Requests requests) {
        this.requests = requests;
    }

    /** {@code onReader}: the caller is the link's reader thread, which must not wait for a reconnect. */
    void fetch(String path, int uid, int gid, boolean onReader, Listed listed, Failed failed) {
        ReplyHandler first = (errno, result) -> next(path, uid, gid, new ArrayList<>(), errno, result, listed, failed);
        if (onReader) {
            requests.link.callNow(request(path, uid, gid, 0), first);
        } else {
            requests.link.call(request(path, uid, gid, 0), first);
        }
    }

    private void next(String path, int uid, int gid, List<DirEntry> collected, int errno, WireReader result,
                      Listed listed, Failed failed) throws Exception {
        if (errno != 0) {
            failed.accept(errno);
            return;
        }
        while (result.u8() != 0) {
            DirEntry entry = DirEntry.read(result);
            if (entry.type() != DirEntry.DT_SOCK) {
                collected.add(entry);
            }
        }
        long cookie = result.u64();
        if (result.u8() != 0) {
            listed.accept(collected);
            return;
        }
        // on the link's reader thread: the follow-up must not wait for a reconnect
        requests.link.callNow(request(path, uid, gid, cookie),
                (more, reply) -> next(path, uid, gid, collected, more, reply, listed, failed));
    }

    private WireWriter request(String path, int uid, int gid, long cookie) {
        return requests.start(Op.LISTDIR, uid, gid).string(path).u64(cookie);
    }
}
