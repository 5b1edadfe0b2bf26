package io.dpuvirt.virt.host;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.time.Duration;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Optional;
import java.util.Set;

/**
 * The machine that runs the guests, as a driver sees it: everything a driver does there — start and
 * signal processes, pin threads, touch files, reach sockets — goes through this one interface. Here it
 * is the daemon's own machine ({@link LocalHost}); when the daemon moves onto a DPU it becomes the HOST
 * across the link (rexec for processes, udsproxyd for sockets, rfs for files), and nothing else changes.
 * <p>
 * The daemon's own state (domain definitions, running-state files) is not the host's: it stays with the
 * daemon. Paths are the host's paths.
 */
public interface Host {
    /**
     * Starts a program in a session of its own; it runs until it exits or is signalled. Its run directory and the
     * directories of its output files are made first, in the same exchange with a remote host.
     */
    HostProcess spawn(ProcessSpec spec) throws IOException;

    /**
     * A process started earlier, found again by its id (after a daemon restart): empty when it is gone
     * or its pid now belongs to another process. {@code runDirectory} is its spec's
     * ({@link ProcessSpec#withRunDirectory}): removed after it as after a process just started.
     */
    Optional<HostProcess> find(ProcessId id, Optional<Path> runDirectory) throws IOException;

    byte[] readFile(Path file) throws IOException;

    /** Replaces {@code file} atomically: readers see the old content or the new one, never a mix. */
    void writeFile(Path file, byte[] content, Set<PosixFilePermission> permissions) throws IOException;

    /** False when there was nothing to delete. */
    boolean deleteFile(Path file) throws IOException;

    boolean exists(Path path) throws IOException;

    void createDirectories(Path directory) throws IOException;

    /**
     * Connects to a unix stream socket, such as a guest's monitor or console. The channel blocks; it may be one
     * whose reads are native calls (across the link), so it is read on a platform thread, never a virtual one.
     */
    ByteChannel connect(Path unixSocket) throws IOException;

    /**
     * As {@link #connect(Path)}; a host that can wait where the socket is waits up to {@code mayWait} for one that is
     * not there yet (see {@link SocketWaiter}). By default: no waiting.
     */
    default ByteChannel connect(Path unixSocket, Duration mayWait) throws IOException {
        return connect(unixSocket);
    }
}
