package io.dpuvirt.common.net;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrivateUnixListenerTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(10) // a blocking probe would wait here forever
    void aHungServerWithAFullBacklogIsInUseAndDoesNotHoldTheStartUp() throws Exception {
        Path path = dir.resolve("busy.sock");
        SockAddr.Unix address = new SockAddr.Unix(path.toString());
        // a server that never accepts, its backlog of one taken
        try (NativeSocket hung = NativeSocket.listen(address, SocketType.STREAM, 0);
             NativeSocket waiting = NativeSocket.connect(address, SocketType.STREAM, Duration.ZERO)) {
            assertThatThrownBy(() -> PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8))
                    .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("its backlog is full");
        }
    }

    @Test
    void aLiveServerIsKeptAndAStaleSocketFileIsReplaced() throws Exception {
        Path path = dir.resolve("s.sock");
        SockAddr.Unix address = new SockAddr.Unix(path.toString());
        try (NativeSocket live = NativeSocket.listen(address, SocketType.STREAM, 8)) {
            assertThatThrownBy(() -> PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8))
                    .isInstanceOf(FileAlreadyExistsException.class).hasMessageContaining("a server is already listening on it");
        }
        assertThat(Files.exists(path)).isTrue(); // closed, its file left behind as by a server killed -9
        try (PrivateUnixListener<NativeSocket> listener = PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8)) {
            assertThat(listener.path()).isEqualTo(path);
        }
    }
}
