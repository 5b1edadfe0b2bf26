package io.dpuvirt.common.net;

import io.dpuvirt.common.linux.DirectoryLock;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

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

    /**
     * A server judges and swaps holding its directory's lock, so that servers starting at once take turns: it waits
     * while another holds the lock, leaving the dead server's file where it is, and places its own once let go.
     */
    @Test
    @Timeout(30)
    void aServerPlacesItsSocketHoldingTheLockOfItsDirectory() throws Exception {
        Path path = dir.resolve("turn.sock");
        NativeSocket.listen(new SockAddr.Unix(path.toString()), SocketType.STREAM, 1).close(); // a leftover
        Object leftover = fileKey(path);
        DirectoryLock held = DirectoryLock.acquire(dir, () -> { }).orElseThrow();
        CompletableFuture<PrivateUnixListener<NativeSocket>> server = CompletableFuture.supplyAsync(() -> {
            try {
                return PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
        try {
            Thread.sleep(300); // well within the patience: it waits
            assertThat(server).isNotDone();
            assertThat(fileKey(path)).isEqualTo(leftover);
        } finally {
            held.close();
        }
        try (PrivateUnixListener<NativeSocket> listener = server.get(20, TimeUnit.SECONDS);
             NativeSocket client = NativeSocket.connect(new SockAddr.Unix(path.toString()), SocketType.STREAM, Duration.ZERO)) {
            assertThat(fileKey(path)).isNotEqualTo(leftover);
        }
    }

    /** Any user who can read a directory can lock it: a lock kept past the patience does not keep a server out. */
    @Test
    @Timeout(30)
    void aLockKeptLongDoesNotKeepAServerFromStarting() throws Exception {
        Path path = dir.resolve("kept.sock");
        try (DirectoryLock _ = DirectoryLock.acquire(dir, () -> { }).orElseThrow();
             PrivateUnixListener<NativeSocket> listener = PrivateUnixListener.listen(path, "rw-------", SocketType.STREAM, 8);
             NativeSocket client = NativeSocket.connect(new SockAddr.Unix(path.toString()), SocketType.STREAM, Duration.ZERO)) {
            assertThat(listener.path()).isEqualTo(path);
        }
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }
}
