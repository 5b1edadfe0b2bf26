package io.dpuvirt.common.net;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

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

    /**
     * Servers starting at once, on a free path or on one a dead server left: exactly one listens there, the others are
     * refused, and a client reaches the one that won (a plain rename let a later server replace an earlier one's
     * file, which then listened where nobody could reach it).
     */
    @RepeatedTest(20)
    @Timeout(30)
    void ofServersStartingAtOnceOneWinsAndIsReachable(RepetitionInfo repetition) throws Exception {
        Path path = dir.resolve("race.sock");
        if (repetition.getCurrentRepetition() % 2 == 0) {
            NativeSocket.listen(new SockAddr.Unix(path.toString()), SocketType.STREAM, 1).close(); // a leftover
        }
        int servers = 4;
        CyclicBarrier start = new CyclicBarrier(servers);
        List<PrivateUnixListener<NativeSocket>> listening = new CopyOnWriteArrayList<>();
        List<Throwable> refused = new CopyOnWriteArrayList<>();
        try (ExecutorService threads = Executors.newFixedThreadPool(servers)) {
            for (int i = 0; i < servers; i++) {
                threads.submit(() -> {
                    start.await();
                    try {
                        listening.add(PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8));
                    } catch (FileAlreadyExistsException e) {
                        refused.add(e);
                    }
                    return null;
                });
            }
        }
        try {
            assertThat(listening).hasSize(1);
            assertThat(refused).hasSize(servers - 1);
            try (NativeSocket client = NativeSocket.connect(new SockAddr.Unix(path.toString()), SocketType.STREAM, Duration.ZERO);
                 NativeSocket accepted = listening.getFirst().socket().accept()) {
                assertThat(accepted.fd()).isPositive();
            }
            try (var files = Files.list(dir)) {
                assertThat(files).containsExactly(path); // no staging directory left
            }
        } finally {
            for (PrivateUnixListener<NativeSocket> listener : listening) {
                listener.close();
            }
        }
    }
}
