package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseHandler;
import io.dpuvirt.rfs.fuse.FuseOpcode;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;

import java.util.concurrent.ScheduledExecutorService;

/** The FUSE file system of one rfs mount: each kernel request goes to the translator for its kind. */
final class RfsFilesystem implements FuseHandler {
    private static final int FUSE_GETATTR_FH = 1, FATTR_FH = 1 << 6;

    private final NodeTable nodes;
    private final OpenHandles handles = new OpenHandles();
    private final LocalSockets sockets = new LocalSockets();
    private final CacheTimes times;
    private final RfsLink link;
    private final ScheduledExecutorService timer;
    private final AttrCache attrs;
    private final CapabilityCache capabilities;
    private NodeRequests nodeRequests;
    private FileRequests fileRequests;
    private DirectoryRequests directoryRequests;
    private LockRequests lockRequests;

    RfsFilesystem(RfsLink link, CacheTimes times, ScheduledExecutorService timer) {
        this.link = link;
        this.times = times;
        this.timer = timer;
        this.nodes = new NodeTable(link.rootAttr());
        this.attrs = new AttrCache(times.attr());
        this.capabilities = new CapabilityCache(times.attr());
    }

    /** Connects the translators to the session that will deliver requests (built after the mount exists). */
    void attach(FuseSession session) {
        Requests requests = new Requests(link, session);
        LookAhead lookAhead = new LookAhead(times);
        KnownNames knownNames = new KnownNames(times);
        BatchLookups batch = new BatchLookups(requests);
        Listings listings = new Listings(requests);
        nodeRequests = new NodeRequests(requests, nodes, sockets, times, attrs, capabilities, lookAhead, batch,
                knownNames, listings);
        fileRequests = new FileRequests(requests, nodeRequests, nodes, handles, times, attrs, capabilities, lookAhead,
                knownNames);
        directoryRequests = new DirectoryRequests(requests, nodeRequests, handles, sockets, nodes, attrs, times,
                lookAhead, batch, listings, knownNames);
        lockRequests = new LockRequests(requests, fileRequests, timer);
    }

    @Override
    public void handle(FuseRequest request, FuseSession session) {
        switch (request.opcode()) {
            case FuseOpcode.LOOKUP -> nodeRequests.lookup(request);
            case FuseOpcode.GETATTR -> {
                long handle = serverHandleIf(request, (request.u32(0) & FUSE_GETATTR_FH) != 0);
                if (handle != FileRequests.ANSWERED) {
                    nodeRequests.getattr(request, handle);
                }
            }
            case FuseOpcode.SETATTR -> {
                long handle = serverHandleIf(request, (request.u32(0) & FATTR_FH) != 0);
                if (handle != FileRequests.ANSWERED) {
                    nodeRequests.setattr(request, handle);
                }
            }
            case FuseOpcode.READLINK -> nodeRequests.readlink(request);
            case FuseOpcode.MKNOD -> nodeRequests.mknod(request);
            case FuseOpcode.MKDIR -> nodeRequests.mkdir(request);
            case FuseOpcode.SYMLINK -> nodeRequests.symlink(request);
            case FuseOpcode.LINK -> nodeRequests.link(request);
            case FuseOpcode.UNLINK -> nodeRequests.unlink(request, false);
            case FuseOpcode.RMDIR -> nodeRequests.unlink(request, true);
            case FuseOpcode.RENAME -> nodeRequests.rename(request, false);
            case FuseOpcode.RENAME2 -> nodeRequests.rename(request, true);
            case FuseOpcode.STATFS -> nodeRequests.statfs(request);
            case FuseOpcode.GETXATTR -> nodeRequests.getxattr(request);
            case FuseOpcode.LISTXATTR -> nodeRequests.listxattr(request);
            case FuseOpcode.SETXATTR -> nodeRequests.setxattr(request);
            case FuseOpcode.REMOVEXATTR -> nodeRequests.removexattr(request);
            case FuseOpcode.OPEN -> fileRequests.open(request);
            case FuseOpcode.CREATE -> fileRequests.create(request);
            case FuseOpcode.READ -> fileRequests.read(request);
            case FuseOpcode.WRITE -> fileRequests.write(request);
            case FuseOpcode.FLUSH -> fileRequests.flush(request);
            case FuseOpcode.FSYNC -> fileRequests.fsync(request);
            case FuseOpcode.RELEASE -> fileRequests.release(request);
            case FuseOpcode.FALLOCATE -> fileRequests.fallocate(request);
            case FuseOpcode.LSEEK -> fileRequests.lseek(request);
            case FuseOpcode.OPENDIR -> directoryRequests.opendir(request);
            case FuseOpcode.READDIR -> directoryRequests.readdir(request, false);
            case FuseOpcode.READDIRPLUS -> directoryRequests.readdir(request, true);
            case FuseOpcode.RELEASEDIR -> directoryRequests.releasedir(request);
            case FuseOpcode.GETLK -> lockRequests.getlk(request);
            case FuseOpcode.SETLK -> lockRequests.setlk(request, false);
            case FuseOpcode.SETLKW -> lockRequests.setlk(request, true);
            case FuseOpcode.FSYNCDIR, FuseOpcode.SYNCFS -> session.reply().send(request.unique());
            // ACCESS is never needed with default_permissions; ENOSYS makes the kernel stop asking for the rest
            default -> session.error(request.unique(), Errno.ENOSYS);
        }
    }

    /**
     * The server handle of the file handle GETATTR and SETATTR carry (at offset 8) when {@code given}, else -1:
     * the server then goes by path.
     */
    private long serverHandleIf(FuseRequest request, boolean given) {
        if (!given || handles.file(request.u64(8)) == null) {
            return -1;
        }
        return fileRequests.serverHandle(request, request.u64(8));
    }

    @Override
    public void forget(long nodeId, long count) {
        nodes.forget(nodeId, count);
        // what the kernel no longer holds is not worth keeping here (and the caches stay as small as its own)
        attrs.forget(nodeId);
        capabilities.changed(nodeId);
    }

    @Override
    public void interrupt(long unique, FuseSession session) {
        lockRequests.interrupt(unique);
    }
}
