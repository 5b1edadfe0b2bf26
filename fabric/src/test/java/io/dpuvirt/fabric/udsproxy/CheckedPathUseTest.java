package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The serving side connects to, and a mirror changes, the very file that was checked or bound: a symlink put on
 * the path afterwards (by whoever may write in a directory there) is refused, never followed.
 */
class CheckedPathUseTest {
    @TempDir
    Path dir;

    @Test
    void aConnectReachesTheCheckedSocketAndNoSymlinkOnItsPath() throws Exception {
        Path real = Files.createDirectories(dir.resolve("real"));
        Path socket = real.resolve("s.sock");
        Files.createSymbolicLink(dir.resolve("swapped"), real);
        try (NativeSocket server = NativeSocket.listen(new SockAddr.Unix(socket.toString()), SocketType.STREAM, 4);
             NativeSocket client = StreamServer.connectWithoutSymlinks(socket, SocketType.STREAM);
             NativeSocket accepted = server.accept()) {
            assertThat(accepted).isNotNull();
            assertThat(client).isNotNull();
            assertThatThrownBy(() -> StreamServer.connectWithoutSymlinks(dir.resolve("swapped/s.sock"), SocketType.STREAM))
                    .isInstanceOfSatisfying(LinuxException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ELOOP));
        }
    }

    @Test
    void aMirrorTakesItsModeAndOwnerOnTheSocketItBoundAndNeverThroughASymlink() throws Exception {
        Path socket = dir.resolve("m.sock");
        SocketExport remote = new SocketExport(socket.toString(), SocketType.STREAM, 0741, 0, 0);
        try (NativeSocket listener = NativeSocket.listen(new SockAddr.Unix(socket.toString()), SocketType.STREAM, 4)) {
            String key = Mirror.takeOwnerAndMode(socket.toString(), remote);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rwxr----x");
            assertThat(key).isEqualTo(Mirror.fileKey(socket));
        }
        Path target = Files.writeString(dir.resolve("target"), "x");
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
        Path symlink = Files.createSymbolicLink(dir.resolve("swapped.sock"), target);
        assertThatThrownBy(() -> Mirror.takeOwnerAndMode(symlink.toString(), remote))
                .isInstanceOf(IOException.class).hasMessageContaining("replaced");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(target))).isEqualTo("rw-------");
    }
}
