package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOFOLLOW;
import static io.dpuvirt.common.linux.OpenFlags.O_PATH;

/**
 * A local listening socket standing in for a server on the other side: same path (or a mapped one), same type,
 * same mode and owner, so that a local client's connect() behaves as it would there. The socket file's identity
 * (device and inode) is remembered: a file at the path that is not this one was put there by someone else and is
 * never removed.
 */
final class Mirror {
    /** SOMAXCONN: a burst of clients must queue here as it would at the real server, not be refused. */
    private static final int BACKLOG = 4096;

    private final String localPath;
    private final SocketExport remote;
    private final NativeSocket listener;
    private final String fileKey;
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean stopped;

    private Mirror(String localPath, SocketExport remote, NativeSocket listener, String fileKey) {
        this.localPath = localPath;
        this.remote = remote;
        this.listener = listener;
        this.fileKey = fileKey;
    }

    /** Binds the mirror (the caller made sure nothing is at the path) and starts accepting. */
    static Mirror open(String localPath, SocketExport remote, Executor threads, BiConsumer<Mirror, NativeSocket> onClient)
            throws IOException {
        NativeSocket listener = NativeSocket.listen(new SockAddr.Unix(localPath), remote.type(), BACKLOG);
        try {
            Mirror mirror = new Mirror(localPath, remote, listener, takeOwnerAndMode(localPath, remote));
            threads.execute(() -> mirror.acceptAndServe(threads, onClient));
            return mirror;
        } catch (IOException | RejectedExecutionException e) {
            listener.close();
            Files.deleteIfExists(Path.of(localPath));
            throw e instanceof IOException io ? io : new IOException("mirror " + localPath + ": no thread to accept on", e);
        }
    }

    /**
     * Gives the socket file just bound the remote socket's owner and mode, through a descriptor of the file itself:
     * a symlink renamed over it since the bind (by whoever may write in its directory) is refused, never followed
     * to what it points at. Returns the file's key.
     */
    static String takeOwnerAndMode(String localPath, SocketExport remote) throws IOException {
        int fd = Libc.open(localPath, O_PATH | O_NOFOLLOW | O_CLOEXEC, 0);
        try {
            Path node = Path.of("/proc/self/fd/" + fd); // stat and chmod through it reach the node itself
            Map<String, Object> attributes = Files.readAttributes(node, "unix:mode,dev,ino");
            if (((Integer) attributes.get("mode") & FileCalls.S_IFMT) != FileCalls.S_IFSOCK) {
                throw new IOException("mirror " + localPath + ": the socket file was replaced by another file right after its bind");
            }
            FileCalls.chmod(node.toString(), remote.mode() & 0777);
            FileCalls.fchownat(fd, "", remote.uid(), remote.gid(), FileCalls.AT_EMPTY_PATH);
            return attributes.get("dev") + ":" + attributes.get("ino");
        } finally {
            Libc.close(fd);
        }
    }

    /**
     * Waits for one client, hands the waiting on to another pool thread and serves the client itself: one thread
     * is in accept() at any time, and the client's first message does not wait for a thread hand-off. When no
     * thread can be made (a task limit), this one serves the client and then accepts again, rather than leaving the
     * mirror with nobody accepting. The thread that finds the mirror stopped closes the listener.
     */
    private void acceptAndServe(Executor threads, BiConsumer<Mirror, NativeSocket> onClient) {
        while (true) {
            NativeSocket client = acceptOne();
            if (client == null) {
                return;
            }
            accepted.incrementAndGet();
            boolean handedOver = true;
            try {
                threads.execute(() -> acceptAndServe(threads, onClient));
            } catch (RejectedExecutionException e) {
                client.close(); // the daemon is shutting down
                listener.close();
                return;
            } catch (OutOfMemoryError e) {
                Log.error("mirror " + localPath + ": no thread to accept on (" + e.getMessage() + "); this one goes on after its client");
                handedOver = false;
            }
            onClient.accept(this, client);
            if (handedOver) {
                return;
            }
        }
    }

    /** The next client; null once the mirror is stopped (the listener is then closed). */
    private NativeSocket acceptOne() {
        while (true) {
            if (stopped) {
                listener.close();
                return null;
            }
            try {
                return listener.accept();
            } catch (LinuxException e) {
                if (!stopped) {
                    // EMFILE and the like fail again at once: do not spin on them
                    Log.error("mirror " + localPath + ": accept failed: " + e.getMessage() + "; trying again in 100 ms");
                    pauseAfterFailedAccept();
                }
            }
        }
    }

    private static void pauseAfterFailedAccept() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            // a stop is seen by the loop (stopped), not through interrupts: the native accept ignores them
        }
    }

    String localPath() {
        return localPath;
    }

    SocketExport remote() {
        return remote;
    }

    String fileKey() {
        return fileKey;
    }

    long accepted() {
        return accepted.get();
    }

    /** True while the file at the path is still the socket this mirror bound. */
    boolean ownsPath() {
        try {
            return fileKey.equals(fileKey(Path.of(localPath)));
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops accepting; removes the socket file only if it is still this mirror's. */
    void stop() {
        stopped = true;
        boolean owned = ownsPath();
        listener.abort();
        if (owned) {
            try {
                Files.deleteIfExists(Path.of(localPath));
            } catch (IOException e) {
                Log.warn("mirror " + localPath + ": cannot remove its socket file: " + e.getMessage());
            }
        }
    }

    static String fileKey(Path path) throws IOException {
        Map<String, Object> attributes = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        return attributes.get("dev") + ":" + attributes.get("ino");
    }

    /** The key of the file at {@code path}, or null when there is none. */
    static String fileKeyOrNull(Path path) {
        try {
            return fileKey(path);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return "unreadable";
        }
    }

}
