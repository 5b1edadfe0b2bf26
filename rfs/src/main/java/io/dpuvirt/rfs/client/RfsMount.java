package io.dpuvirt.rfs.client;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.Handshake;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.rfs.fuse.FuseConfig;
import io.dpuvirt.rfs.fuse.FuseDevice;
import io.dpuvirt.rfs.fuse.FuseSession;
import io.dpuvirt.rfs.wire.Op;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A HOST directory mounted here: connects to the engine first (so that a refused export or an unreachable HOST
 * fails the mount with the reason, and nothing is mounted), then mounts FUSE and serves it until unmounted.
 */
public final class RfsMount implements AutoCloseable {
    private static final int READAHEAD_KB = 1024;
    static final FuseConfig FUSE = new FuseConfig(FuseSession.ASYNC_READ | FuseSession.POSIX_LOCKS
            | FuseSession.ATOMIC_O_TRUNC | FuseSession.BIG_WRITES | FuseSession.FLOCK_LOCKS | FuseSession.AUTO_INVAL_DATA
            | FuseSession.ASYNC_DIO | FuseSession.PARALLEL_DIROPS | FuseSession.MAX_PAGES | FuseSession.DO_READDIRPLUS
            | FuseSession.READDIRPLUS_AUTO, Op.MAX_IO, READAHEAD_KB * 1024, 64, 8);

    private final MountConfig config;
    private final RfsLink link;
    private final ScheduledExecutorService timer;
    private final FuseDevice device;
    private final FuseSession session;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    private RfsMount(MountConfig config, RfsLink link, ScheduledExecutorService timer, FuseDevice device, FuseSession session) {
        this.config = config;
        this.link = link;
        this.timer = timer;
        this.device = device;
        this.session = session;
    }

    public static RfsMount mount(MountConfig config) throws IOException {
        LinkEndpoint endpoint = new LinkEndpoint(config.transport(), new Handshake(config.key()), Executors.newSingleThreadExecutor());
        RfsLink link = new RfsLink(endpoint, config.hostPath(), config.linkSettings());
        link.connectFirst();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("rfs-timer").factory());
        RfsFilesystem filesystem = new RfsFilesystem(link, config.cacheTimes(), timer);
        FuseDevice device;
        try {
            device = FuseDevice.mount(config.hostPath(), config.mountPoint(), "qtfs", config.mountFlags(), Op.MAX_IO);
        } catch (IOException e) {
            link.close();
            timer.shutdownNow();
            throw e;
        }
        FuseConfig fuse = new FuseConfig(FUSE.flags(), FUSE.maxWrite(), FUSE.maxReadahead(), FUSE.maxBackground(), config.readers());
        FuseSession session = new FuseSession(device, filesystem, fuse);
        filesystem.attach(session);
        session.start();
        raiseReadahead(config.mountPoint());
        Log.info("mounted HOST " + config.hostPath() + " at " + config.mountPoint() + " from " + config.transport().peer());
        return new RfsMount(config, link, timer, device, session);
    }

    /**
     * The kernel offers FUSE at most its default readahead (128 KiB) at INIT; sequential reads go faster with
     * more, which the mount's backing device info allows to set afterwards. Best effort.
     */
    private static void raiseReadahead(String mountPoint) {
        try {
            long device = (Long) Files.getAttribute(Path.of(mountPoint), "unix:dev");
            long major = (device >>> 8) & 0xfff | ((device >>> 32) & ~0xfffL);
            long minor = (device & 0xff) | ((device >>> 12) & ~0xffL);
            Files.writeString(Path.of("/sys/class/bdi/" + major + ":" + minor + "/read_ahead_kb"), Integer.toString(READAHEAD_KB));
        } catch (IOException | RuntimeException e) {
            Log.debug("readahead of " + mountPoint + " left as it is: " + e.getMessage());
        }
    }

    /** Serves until the file system is unmounted (umount(8), or the kernel aborting the connection). */
    public void awaitUnmount() throws InterruptedException {
        session.awaitUnmount();
    }

    /**
     * Stops serving; if the file system is still mounted (a stop by SIGTERM rather than by umount), detaches it
     * first, so that no mount is left without its daemon. Safe to call more than once.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!session.unmounted()) {
            device.unmount();
        }
        link.close();
        timer.shutdownNow();
        device.close();
        if (config.key() != null) {
            config.key().destroy();
        }
    }
}
