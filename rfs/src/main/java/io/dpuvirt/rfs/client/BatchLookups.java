package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireWriter;

import java.util.ArrayList;
import java.util.List;

/** Looks up several names of one directory in one round trip ({@link Op#LOOKUPS}). */
final class BatchLookups {
    /** What the HOST answered for one name: its attributes, or the errno (then {@code attr} is null). */
    record Found(String name, int errno, Attr attr) {
    }

    /** Receives the answers, in the order of the names asked; runs on the link's reader thread. */
    @FunctionalInterface
    interface Answers {
        void accept(List<Found> found) throws Exception;
    }

    private final Requests requests;

    BatchLookups(Requests requests) {
        this.requests = requests;
    }

    /**
     * Asks for {@code names} (at most {@link Op#MAX_LOOKUPS}) in {@code directory} on behalf of uid/gid; on a
     * failure of the whole request, FUSE request {@code unique} is answered with the errno. {@code onReader}: the
     * caller is the link's reader thread, which must not wait for a reconnect.
     */
    void send(String directory, List<String> names, int uid, int gid, long unique, boolean onReader, Answers answers) {
        WireWriter out = requests.start(Op.LOOKUPS, uid, gid).string(directory).u32(names.size());
        for (String name : names) {
            out.string(name);
        }
        ReplyHandler handler = (errno, result) -> {
            if (errno != 0) {
                requests.session.error(unique, errno);
                return;
            }
            List<Found> found = new ArrayList<>(names.size());
            for (String name : names) {
                int failed = result.u32();
                found.add(new Found(name, failed, failed == 0 ? Attr.read(result) : null));
            }
            answers.accept(found);
        };
        if (onReader) {
            requests.link.callNow(out, handler);
        } else {
            requests.link.call(out, handler);
        }
    }

    /** Whether an answer is "no such name" (the kernel may remember that). */
    static boolean absent(Found found) {
        return found.errno() == Errno.ENOENT;
    }
}
