import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.fuse.FuseConfig;
import io.dpuvirt.rfs.fuse.FuseDevice;
import io.dpuvirt.rfs.fuse.FuseHandler;
import io.dpuvirt.rfs.fuse.FuseOpcode;
import io.dpuvirt.rfs.fuse.FuseReply;
import io.dpuvirt.rfs.fuse.FuseRequest;
import io.dpuvirt.rfs.fuse.FuseSession;

import java.nio.charset.StandardCharsets;

/**
 * The FUSE layer rfs uses (the kernel protocol on /dev/fuse, rfs.fuse) serving a file system in memory: FILES empty
 * files and "big" (1 GiB of zeros), no caching. With JfuseProbe, the same file system through jfuse and libfuse3,
 * this compares the two ways of speaking FUSE from Java with nothing else in the way (bench/fuse-layer).
 * Usage: java -cp CLASSPATH RawFuseProbe.java MOUNTPOINT
 */
public class RawFuseProbe implements FuseHandler {
    static final int FILES = 10_000;
    static final long BIG = 1L << 30, BIG_NODE = FILES + 2;
    private static FuseSession session;

    public static void main(String[] args) throws Exception {
        FuseDevice device = FuseDevice.mount("rawprobe", args[0], "rawprobe", FuseDevice.MS_NOSUID | FuseDevice.MS_NODEV, 512 * 1024);
        session = new FuseSession(device, new RawFuseProbe(), new FuseConfig(FuseSession.ASYNC_READ | FuseSession.BIG_WRITES
                | FuseSession.MAX_PAGES | FuseSession.PARALLEL_DIROPS, 512 * 1024, 128 * 1024, 64, 4));
        session.start();
        System.out.println("ready");
        session.awaitUnmount();
    }

    /** Node 1 is the root, 2..FILES+1 the small files, FILES+2 the big one. */
    private static void attr(FuseReply reply, long node) {
        boolean root = node == 1;
        reply.u64(node).u64(node == BIG_NODE ? BIG : 0).u64(node == BIG_NODE ? BIG / 512 : 0).u64(0).u64(0).u64(0)
                .u32(0).u32(0).u32(0).u32(root ? 040755 : 0100644).u32(root ? 2 : 1).u32(0).u32(0).u32(0).u32(4096).u32(0);
    }

    private static long nodeOf(String name) {
        if (name.equals("big")) {
            return BIG_NODE;
        }
        if (name.length() == 6 && name.charAt(0) == 'f') {
            int index = Integer.parseInt(name.substring(1));
            return index < FILES ? index + 2 : -1;
        }
        return -1;
    }

    @Override
    public void handle(FuseRequest request, FuseSession s) {
        long unique = request.unique();
        switch (request.opcode()) {
            case FuseOpcode.LOOKUP -> {
                long node = request.nodeId() == 1 ? nodeOf(request.string(0)) : -1;
                if (node < 0) {
                    s.error(unique, Errno.ENOENT);
                    return;
                }
                FuseReply reply = s.reply().u64(node).u64(0).u64(0).u64(0).u32(0).u32(0);
                attr(reply, node);
                reply.send(unique);
            }
            case FuseOpcode.GETATTR -> {
                FuseReply reply = s.reply().u64(0).u32(0).u32(0);
                attr(reply, request.nodeId());
                reply.send(unique);
            }
            case FuseOpcode.OPEN, FuseOpcode.OPENDIR -> s.reply().u64(0).u32(0).u32(0).send(unique);
            case FuseOpcode.RELEASE, FuseOpcode.RELEASEDIR, FuseOpcode.FLUSH -> s.reply().send(unique);
            case FuseOpcode.READ -> {
                long offset = request.u64(8);
                int size = (int) Math.max(0, Math.min(request.u32(16), (request.nodeId() == BIG_NODE ? BIG : 0) - offset));
                s.reply().zeros(size).send(unique);
            }
            case FuseOpcode.READDIR -> {
                long offset = request.u64(8);
                int size = request.u32(16);
                FuseReply reply = s.reply();
                for (long index = offset; index < FILES + 1; index++) {
                    String name = index == FILES ? "big" : String.format("f%05d", index);
                    byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
                    if (reply.bodyLength() + ((24 + bytes.length + 7) & ~7) > size) {
                        break;
                    }
                    reply.u64(index + 2).u64(index + 1).u32(bytes.length).u32(8).bytes(bytes).align8();
                }
                reply.send(unique);
            }
            default -> s.error(unique, Errno.ENOSYS);
        }
    }

    @Override
    public void forget(long nodeId, long count) {
    }

    @Override
    public void interrupt(long unique, FuseSession s) {
    }
}
