package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.common.linux.OpenFlags;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.lang.foreign.MemorySegment;

import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_DIRECT;
import static io.dpuvirt.common.linux.OpenFlags.O_DSYNC;
import static io.dpuvirt.common.linux.OpenFlags.O_EXCL;
import static io.dpuvirt.common.linux.OpenFlags.O_TRUNC;

/**
 * FUSE requests on open files: open, create, read, write, flush, fsync, release, fallocate, lseek. Each open
 * file is a client handle mapped to a server handle; after a reconnect the server handle is re-opened by path
 * before its next use (see {@link OpenHandles}).
 */
final class FileRequests {
    /** fuse_write_in precedes the data of a WRITE; its flags field holds the file's open flags. */
    private static final int WRITE_IN = 40, WRITE_FILE_FLAGS = 32;

    private final Requests requests;
    private final NodeRequests nodeRequests;
    private final NodeTable nodes;
    private final OpenHandles handles;
    private final CacheTimes times;
    private final FuseSession session;
    private final AttrCache attrs;
    private final CapabilityCache capabilities;
    private final LookAhead lookAhead;
    private final KnownNames knownNames;

    FileRequests(Requests requests, NodeRequests nodeRequests, NodeTable nodes, OpenHandles handles, CacheTimes times,
                 AttrCache attrs, CapabilityCache capabilities, LookAhead lookAhead, KnownNames knownNames) {
        this.requests = requests;
        this.nodeRequests = nodeRequests;
        this.nodes = nodes;
        this.handles = handles;
        this.times = times;
        this.session = requests.session;
        this.attrs = attrs;
        this.capabilities = capabilities;
        this.lookAhead = lookAhead;
        this.knownNames = knownNames;
    }

    void open(FuseRequest request) {
        String path = nodeRequests.path(request);
        if (path == null) {
            return;
        }
        int flags = request.u32(0);
        long unique = request.unique();
        long nodeId = request.nodeId();
        long generation = requests.link.generation();
        attrs.forget(nodeId); // O_TRUNC changes the size
        requests.send(requests.start(Op.OPEN, request).string(path).u32(OpenFlags.toWire(flags)), unique, result -> {
            if ((flags & O_TRUNC) != 0) {
                lookAhead.changed();
            }
            long serverHandle = result.u64();
            int serverFlags = result.u32();
            attrs.put(nodeId, Attr.read(result));
            long handle = handles.addFile(new OpenHandles.FileHandle(path, reopenable(flags), serverHandle, generation,
                    writeThrough(flags, serverFlags)));
            FuseReply reply = session.reply();
            FuseStructs.openOut(reply, handle, openFlags(flags, serverFlags));
            reply.send(unique);
        });
    }

    void create(FuseRequest request) {
        String parent = nodeRequests.path(request);
        if (parent == null) {
            return;
        }
        int flags = request.u32(0);
        int mode = request.u32(4);
        String path = NodeTable.child(parent, request.string(16));
        long unique = request.unique();
        long generation = requests.link.generation();
        long directory = request.nodeId();
        attrs.forget(directory); // the directory's times change
        requests.send(requests.start(Op.CREATE, request).string(path).u32(OpenFlags.toWire(flags)).u32(mode), unique, result -> {
            long serverHandle = result.u64();
            int serverFlags = result.u32();
            Attr attr = Attr.read(result);
            nodeRequests.directoryChanged(directory, result);
            lookAhead.named(path, null);
            knownNames.added(path);
            if ((flags & O_TRUNC) != 0) {
                lookAhead.changed(); // a file the HOST made meanwhile was emptied
            }
            long handle = handles.addFile(new OpenHandles.FileHandle(path, reopenable(flags), serverHandle, generation,
                    writeThrough(flags, serverFlags)));
            long nodeId = nodes.found(path, attr);
            attrs.put(nodeId, attr);
            if ((serverFlags & Op.OPEN_CREATED) != 0) {
                capabilities.absent(nodeId); // a new file has no extended attributes
            }
            FuseReply reply = session.reply();
            FuseStructs.entry(reply, nodeId, attr, times);
            FuseStructs.openOut(reply, handle, openFlags(flags, serverFlags));
            reply.send(unique);
        });
    }

    private static int reopenable(int flags) {
        return flags & ~(O_CREAT | O_EXCL | O_TRUNC);
    }

    /** See {@link OpenHandles.FileHandle#writeThrough}; {@code flags} may also be a write's (fcntl may add O_DIRECT). */
    private static boolean writeThrough(int flags, int serverFlags) {
        // O_SYNC includes O_DSYNC's bit
        return (flags & (O_DIRECT | O_DSYNC)) != 0 || (serverFlags & Op.OPEN_DIRECT) != 0;
    }

    /** No page cache for O_DIRECT (qemu's cache=none) nor for pseudo files whose size says nothing (proc, sysfs). */
    private static int openFlags(int flags, int serverFlags) {
        return (flags & O_DIRECT) != 0 || (serverFlags & Op.OPEN_DIRECT) != 0 ? FuseStructs.FOPEN_DIRECT_IO : 0;
    }

    /** What {@link #serverHandle} returns when it could not get one and has answered the request with the error. */
    static final long ANSWERED = -2;

    /**
     * The server's handle for a client handle, re-opening it by path first if the link was re-established since
     * (this may wait for the server: it runs on a FUSE reader thread); {@link #ANSWERED} if it cannot.
     */
    long serverHandle(FuseRequest request, long handle) {
        OpenHandles.FileHandle file = handles.file(handle);
        return file == null ? missing(request) : serverHandle(request, file);
    }

    private long missing(FuseRequest request) {
        session.error(request.unique(), Errno.EBADF);
        return ANSWERED;
    }

    /** The same for a lock request: the file's close(2) will then tell the server to drop the owner's locks. */
    long lockingServerHandle(FuseRequest request, long handle) {
        OpenHandles.FileHandle file = handles.file(handle);
        if (file == null) {
            return missing(request);
        }
        file.locked = true;
        return serverHandle(request, file);
    }

    private long serverHandle(FuseRequest request, OpenHandles.FileHandle file) {
        long current = requests.link.generation();
        if (file.generation == current) {
            return file.serverHandle;
        }
        synchronized (file) {
            if (file.generation != requests.link.generation()) {
                try {
                    long reopened = requests.await(requests.start(Op.OPEN, 0, 0).string(file.path).u32(OpenFlags.toWire(file.reopenFlags)),
                            WireReader::u64);
                    file.serverHandle = reopened;
                    file.generation = requests.link.generation();
                } catch (Requests.RemoteError e) {
                    session.error(request.unique(), e.errno == Errno.ENOENT ? Errno.ESTALE : e.errno);
                    return ANSWERED;
                }
            }
            return file.serverHandle;
        }
    }

    void read(FuseRequest request) {
        long server = serverHandle(request, request.u64(0));
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        WireWriter out = requests.start(Op.READ, request).u64(server).u64(request.u64(8)).u32(request.u32(16));
        requests.send(out, unique, result -> session.reply().send(unique, result.blob()));
    }

    void write(FuseRequest request) {
        OpenHandles.FileHandle file = handles.file(request.u64(0));
        long server = file == null ? missing(request) : serverHandle(request, file);
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        long nodeId = request.nodeId();
        MemorySegment data = request.body().asSlice(WRITE_IN, request.u32(16));
        int size = (int) data.byteSize();
        // the data goes from the FUSE request's buffer to the socket: only its length is copied into the message
        WireWriter out = requests.start(Op.WRITE, request).u64(server).u64(request.u64(8)).u32(size);
        if (file.writeThrough || writeThrough(request.u32(WRITE_FILE_FLAGS), 0)) {
            requests.send(out, data, unique, result -> {
                int written = result.u32();
                lookAhead.changed();
                attrs.put(nodeId, Attr.read(result));
                session.reply().u32(written).u32(0).send(unique);
            });
            return;
        }
        int earlier = file.writes.takeFailure();
        if (earlier != 0) {
            session.error(unique, earlier); // nothing is written behind a write that failed
            return;
        }
        lookAhead.changed();
        attrs.writing(nodeId);
        file.writes.sent();
        requests.link.call(out, data, (errno, result) -> {
            Attr attr = null;
            if (errno == 0) {
                int written = result.u32();
                attr = Attr.read(result);
                errno = written == size ? 0 : Errno.EIO;
            }
            attrs.written(nodeId, errno == 0 ? attr : null);
            file.writes.answered(errno);
        });
        // the data is in the link's socket, the HOST makes it in order: answered now, unless the link is down
        int failed = file.writes.takeFailure();
        if (failed != 0) {
            session.error(unique, failed);
        } else {
            session.reply().u32(size).u32(0).send(unique);
        }
    }

    /**
     * close(2) of one descriptor: the file's writes are made on the HOST before it returns, and the first that
     * failed is its error (close-to-open: what a process opens after this close returned sees them); the lock
     * owner's POSIX locks go. No round trip for a file that never saw a lock, or a handle of an older link (whose
     * locks went with it).
     */
    void flush(FuseRequest request) {
        long unique = request.unique();
        OpenHandles.FileHandle file = handles.file(request.u64(0));
        if (file == null) {
            session.reply().send(unique);
            return;
        }
        try {
            file.writes.awaitAnswers(); // on a FUSE reader thread: the answers come on the link's
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            session.error(unique, Errno.EINTR);
            return;
        }
        int failed = file.writes.takeFailure();
        if (!file.locked || file.generation != requests.link.generation()) {
            answer(unique, failed);
            return;
        }
        requests.link.call(requests.start(Op.FLUSH, request).u64(file.serverHandle).u64(request.u64(16)),
                (errno, result) -> answer(unique, failed != 0 ? failed : errno));
    }

    /** An empty answer, or the error {@code errno} when not 0. */
    private void answer(long unique, int errno) {
        if (errno != 0) {
            session.error(unique, errno);
        } else {
            session.reply().send(unique);
        }
    }

    /** The HOST syncs after the writes sent before; their answers came before this one, a failure among them is its. */
    void fsync(FuseRequest request) {
        OpenHandles.FileHandle file = handles.file(request.u64(0));
        long server = file == null ? missing(request) : serverHandle(request, file);
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        requests.link.call(requests.start(Op.FSYNC, request).u64(server).u32(request.u32(8) & 1), (errno, result) -> {
            int failed = file.writes.takeFailure();
            answer(unique, failed != 0 ? failed : errno);
        });
    }

    /** Answered at once; the server closes its descriptor when the request reaches it. */
    void release(FuseRequest request) {
        OpenHandles.FileHandle file = handles.removeFile(request.u64(0));
        session.reply().send(request.unique());
        if (file != null && file.generation == requests.link.generation()) {
            requests.link.callNow(requests.start(Op.RELEASE, request).u64(file.serverHandle), (errno, result) -> { });
        }
    }

    void fallocate(FuseRequest request) {
        long server = serverHandle(request, request.u64(0));
        attrs.forget(request.nodeId());
        if (server >= 0) {
            requests.sendEmpty(requests.start(Op.FALLOCATE, request).u64(server).u32(request.u32(24))
                    .u64(request.u64(8)).u64(request.u64(16)), request.unique(), lookAhead::changed);
        }
    }

    void lseek(FuseRequest request) {
        long server = serverHandle(request, request.u64(0));
        if (server < 0) {
            return;
        }
        long unique = request.unique();
        requests.send(requests.start(Op.LSEEK, request).u64(server).u64(request.u64(8)).u32(request.u32(16)), unique,
                result -> session.reply().u64(result.u64()).send(unique));
    }
}
