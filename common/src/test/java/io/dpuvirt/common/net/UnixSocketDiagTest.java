package io.dpuvirt.common.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UnixSocketDiagTest {
    @TempDir
    Path dir;

    /** The inode number of a socket this process holds, as /proc/net/unix and sock_diag name it. */
    static long inode(NativeSocket socket) throws Exception {
        String link = Files.readSymbolicLink(Path.of("/proc/self/fd/" + socket.fd())).toString(); // socket:[12345]
        return Long.parseLong(link.substring(link.indexOf('[') + 1, link.indexOf(']')));
    }

    @Test
    void findsAListeningSocketByItsInodeAndNothingElse() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("s.sock").toString());
        long listenerInode;
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 8);
             NativeSocket client = NativeSocket.connect(address, SocketType.STREAM)) {
            listenerInode = inode(listener);
            assertThat(UnixSocketDiag.isListening(listenerInode)).isTrue();
            assertThat(UnixSocketDiag.isListening(inode(client))).as("a connected socket").isFalse();
        }
        assertThat(UnixSocketDiag.isListening(listenerInode)).as("once closed").isFalse();
    }
}
