package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.Empty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcServerSocketFileTest {
    @TempDir
    Path dir;

    private static ProcedureHandler nothing(ClientSession session) {
        return call -> Empty.INSTANCE;
    }

    @Test
    void socketIsOwnerOnlyAndRemovedOnClose() throws Exception {
        Path socket = dir.resolve("sock");
        try (RpcServer server = RpcServer.start(ServerConfig.at(socket), RpcServerSocketFileTest::nothing)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(socket))).isEqualTo("rw-------");
            assertThat(server.socketPath()).isEqualTo(socket.toAbsolutePath());
        }
        assertThat(socket).doesNotExist();
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void permissionsCanBeWidened() throws Exception {
        Path socket = dir.resolve("sock");
        ServerConfig config = ServerConfig.at(socket).withPermissions(PosixFilePermissions.fromString("rw-rw----"));
        try (RpcServer server = RpcServer.start(config, RpcServerSocketFileTest::nothing)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.socketPath()))).isEqualTo("rw-rw----");
        }
    }

    @Test
    void staleSocketIsReplaced() throws Exception {
        Path socket = dir.resolve("sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertThat(socket).exists();
        try (RpcServer server = RpcServer.start(ServerConfig.at(socket), RpcServerSocketFileTest::nothing)) {
            assertThat(server.socketPath()).exists();
        }
    }

    @Test
    void liveSocketIsNotTakenOver() throws Exception {
        Path socket = dir.resolve("sock");
        try (RpcServer first = RpcServer.start(ServerConfig.at(socket), RpcServerSocketFileTest::nothing)) {
            assertThatThrownBy(() -> RpcServer.start(ServerConfig.at(socket), RpcServerSocketFileTest::nothing))
                    .isInstanceOf(FileAlreadyExistsException.class)
                    .hasMessageContaining("a server is already listening on it");
            assertThat(first.socketPath()).exists();
        }
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void otherFilesAreLeftAlone() throws Exception {
        Path notASocket = Files.writeString(dir.resolve("sock"), "precious");
        assertThatThrownBy(() -> RpcServer.start(ServerConfig.at(notASocket), RpcServerSocketFileTest::nothing))
                .isInstanceOf(FileAlreadyExistsException.class)
                .hasMessageContaining("exists and is not a socket");
        assertThat(notASocket).hasContent("precious");
    }
}
