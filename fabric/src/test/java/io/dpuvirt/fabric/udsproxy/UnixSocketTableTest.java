package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UnixSocketTableTest {
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
    void readsThisMachinesTable() throws Exception {
        assertThat(new UnixSocketTable().listening()).allSatisfy(s -> assertThat(s.path()).startsWith("/"));
    }
}
