package io.dpuvirt.cli.offload;

import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.fabric.udsproxy.ListeningUnixSocket;
import io.dpuvirt.fabric.udsproxy.UnixSocketTable;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Whether a unix socket is served: something listens on it (as /proc/net/unix says), or it accepts a connection. */
final class SocketProbe {
    private SocketProbe() {
    }

    /**
     * Whether a socket of this network namespace listens at {@code socket} (canonical paths compared, so that
     * /var/run and /run are one). Unlike a connection, this reaches no server: a rexec_server is not disturbed.
     */
    static boolean listening(Path socket) {
        return !listeners(socket).isEmpty();
    }

    /** The inodes of the sockets that listen at {@code socket}, as {@link #listening} finds them; none if it cannot tell. */
    static List<Long> listeners(Path socket) {
        try {
            Path wanted = CanonicalPaths.canonical(socket);
            List<Long> inodes = new ArrayList<>();
            for (ListeningUnixSocket listening : new UnixSocketTable().listening()) {
                if (CanonicalPaths.canonical(Path.of(listening.path())).equals(wanted)) {
                    inodes.add(listening.inode());
                }
            }
            return inodes;
        } catch (IOException e) {
            return List.of();
        }
    }

    /** Whether a connection to {@code socket} is accepted (it is closed at once). */
    static boolean accepts(Path socket) {
        try (SocketChannel ignored = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
