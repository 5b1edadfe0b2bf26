package io.dpuvirt.rfs.fuse;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * Serves a mounted {@link FuseDevice}: several threads read requests (the kernel hands each request to one
 * reader), answer INIT, pass the rest to the {@link FuseHandler}, and answer ENOSYS for what it does not know.
 * Nothing a request does can take the process down: a failing handler is an EIO reply and a log line.
 */
public final class FuseSession {
    /** FUSE_INIT flags dpuvirt asks for; see {@link FuseConfig}. */
    public static final int ASYNC_READ = 1, POSIX_LOCKS = 1 << 1, ATOMIC_O_TRUNC = 1 << 3, BIG_WRITES = 1 << 5,
            FLOCK_LOCKS = 1 << 10, AUTO_INVAL_DATA = 1 << 12, DO_READDIRPLUS = 1 << 13, READDIRPLUS_AUTO = 1 << 14,
            ASYNC_DIO = 1 << 15, PARALLEL_DIROPS = 1 << 18,
            MAX_PAGES = 1 << 22;
    private static final int KERNEL_MAJOR = 7, MINOR = 31, PAGE = 4096;

    private final FuseDevice device;
    private final FuseHandler handler;
    private final FuseConfig config;
    private final CountDownLatch stopped;
    private final List<Thread> readers = new ArrayList<>();
    private volatile boolean unmounted;

    public FuseSession(FuseDevice device, FuseHandler handler, FuseConfig config) {
        this.device = device;
        this.handler = handler;
        this.config = config;
        this.stopped = new CountDownLatch(config.readers());
    }

    public void start() {
        for (int i = 0; i < config.readers(); i++) {
            readers.add(Thread.ofPlatform().daemon().name("fuse-reader-" + i).start(this::readLoop));
        }
    }

    /** Waits until the file system is unmounted (every reader saw ENODEV). */
    public void awaitUnmount() throws InterruptedException {
        stopped.await();
    }

    /** True once a reader saw the device end (ENODEV): the kernel has let go of the mount. */
    public boolean unmounted() {
        return unmounted;
    }

    /** A reply built in this thread's buffer. */
    public FuseReply reply() {
        return FuseReply.start(device, FuseReply.HEADER + config.maxWrite() + PAGE);
    }

    public void error(long unique, int errno) {
        reply().error(unique, errno);
    }

    private void readLoop() {
        MemorySegment buffer = Arena.ofAuto().allocate(config.maxWrite() + 64 * 1024, PAGE);
        try {
            while (true) {
                long length;
                try {
                    length = device.read(buffer);
                } catch (LinuxException e) {
                    if (e.is(Errno.ENOENT) || e.is(Errno.EAGAIN)) {
                        continue; // the request was interrupted before we read it
                    }
                    if (e.is(Errno.ENODEV)) {
                        unmounted = true;
                    } else {
                        Log.error("fuse: reading " + device.mountPoint() + " failed: " + e.getMessage());
                    }
                    return;
                }
                dispatch(FuseRequest.parse(buffer, length));
            }
        } finally {
            stopped.countDown();
        }
    }

    private void dispatch(FuseRequest request) {
        try {
            switch (request.opcode()) {
                case FuseOpcode.INIT -> init(request);
                case FuseOpcode.DESTROY -> reply().send(request.unique());
                case FuseOpcode.FORGET -> handler.forget(request.nodeId(), request.u64(0));
                case FuseOpcode.BATCH_FORGET -> {
                    int count = request.u32(0);
                    for (int i = 0; i < count; i++) {
                        handler.forget(request.u64(8 + 16L * i), request.u64(16 + 16L * i));
                    }
                }
                case FuseOpcode.INTERRUPT -> handler.interrupt(request.u64(0), this);
                default -> handler.handle(request, this);
            }
        } catch (Exception | Error e) {
            Log.error("fuse: opcode " + request.opcode() + " failed: " + e);
            if (request.opcode() != FuseOpcode.FORGET && request.opcode() != FuseOpcode.BATCH_FORGET
                    && request.opcode() != FuseOpcode.INTERRUPT) {
                error(request.unique(), Errno.EIO);
            }
        }
    }

    /** Answers the kernel's INIT with the flags and sizes of {@link FuseConfig}, within what the kernel offers. */
    private void init(FuseRequest request) {
        int major = request.u32(0);
        int kernelFlags = request.u32(12);
        if (major < KERNEL_MAJOR) {
            Log.error("fuse: kernel speaks protocol " + major + ", dpuvirt needs 7");
            error(request.unique(), Errno.EPROTOTYPE);
            return;
        }
        int maxReadahead = Math.min(request.u32(8), config.maxReadahead());
        reply().u32(KERNEL_MAJOR).u32(MINOR).u32(maxReadahead).u32(kernelFlags & config.flags())
                .u16(config.maxBackground()).u16(config.maxBackground() * 3 / 4).u32(config.maxWrite()).u32(1)
                .u16(config.maxWrite() / PAGE).u16(0).u32(0).u32(0).zeros(24).send(request.unique());
    }
}
