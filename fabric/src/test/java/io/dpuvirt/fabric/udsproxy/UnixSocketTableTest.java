package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class UnixSocketTableTest {
    @TempDir
    Path dir;

    @Test
    void keepsListeningSocketsWithPathsOnly() {
        String table = """
                Num       RefCount Protocol Flags    Type St Inode Path
                0000000000000000: 00000002 00000000 00010000 0001 01 21061 /run/systemd/notify
                0000000000000000: 00000002 00000000 00010000 0005 01 21062 /var/lib/libvirt/qemu/m 1.sock
                0000000000000000: 00000003 00000000 00000000 0001 03 21063 /run/connected.sock
                0000000000000000: 00000002 00000000 00010000 0001 01 21064 @abstract
                0000000000000000: 00000002 00000000 00010000 0002 01 21065 /run/datagram.sock
                0000000000000000: 00000003 00000000 00000000 0001 03 21066
                """;
        assertThat(UnixSocketTable.parse(table)).containsExactly(
                new ListeningUnixSocket("/run/systemd/notify", SocketType.STREAM, 21061),
                new ListeningUnixSocket("/var/lib/libvirt/qemu/m 1.sock", SocketType.SEQPACKET, 21062));
    }

    @Test
    void aListeningSocketATableLeavesOutIsKeptWhileTheKernelHasIt() throws Exception {
        Path table = dir.resolve("unix");
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("server.sock").toString());
        UnixSocketTable sockets = new UnixSocketTable(table);
        String header = "Num       RefCount Protocol Flags    Type St Inode Path\n";
        String other = "0000000000000000: 00000002 00000000 00010000 0001 01 %d /run/other.sock\n";
        try (NativeSocket server = NativeSocket.listen(address, SocketType.STREAM, 8)) {
            ListeningUnixSocket listed = new UnixSocketTable().listening().stream()
                    .filter(s -> s.path().equals(address.path())).findFirst().orElseThrow();
            String line = "0000000000000000: 00000002 00000000 00010000 0001 01 " + listed.inode() + " " + address.path() + "\n";
            Files.writeString(table, header + line);
            assertThat(sockets.listening()).containsExactly(listed);
            // a read that missed it, as one does while other sockets come and go
            Files.writeString(table, header + other.formatted(1));
            assertThat(sockets.listening()).contains(listed);
            Files.writeString(table, header + other.formatted(1));
            assertThat(sockets.listening()).as("the same text again").contains(listed);
        }
        Files.writeString(table, header + other.formatted(2));
        assertThat(sockets.listening()).extracting(ListeningUnixSocket::path).containsExactly("/run/other.sock");
    }

    @Test
    void readsThisMachinesTable() throws Exception {
        assertThat(new UnixSocketTable().listening()).allSatisfy(s -> assertThat(s.path()).startsWith("/"));
    }
}
