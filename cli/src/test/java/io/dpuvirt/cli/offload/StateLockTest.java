package io.dpuvirt.cli.offload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class StateLockTest {
    private static final long WAIT_SECONDS = 10;
    /** Each waiter blocks in flock(2): a thread of its own, not one of the (small) common pool's. */
    private static final Executor OWN_THREAD = task -> Thread.ofPlatform().daemon().start(task);

    @TempDir
    Path dir;

    private final ByteArrayOutputStream said = new ByteArrayOutputStream();
    private final PrintStream err = new PrintStream(said, true, StandardCharsets.UTF_8);

    @Test
    void upMakesTheMissingLevelsAndNamesThem() throws Exception {
        Path state = dir.resolve("run/dpuvirt/offload");
        try (StateLock lock = StateLock.acquireCreating(state, err)) {
            assertThat(state).isDirectory();
            assertThat(lock.createdDirectories()).containsExactly(dir.resolve("run"), dir.resolve("run/dpuvirt"), state);
        }
        try (StateLock again = StateLock.acquireCreating(state, err)) {
            assertThat(again.createdDirectories()).as("nothing was missing").isEmpty();
        }
    }

    @Test
    void firstTimeUpsStartedTogetherEachRecordOnlyTheLevelsTheyMade() throws Exception {
        int ups = 4;
        for (int round = 0; round < 20; round++) {
            Path state = dir.resolve("round" + round + "/run/dpuvirt/offload");
            CyclicBarrier together = new CyclicBarrier(ups);
            List<CompletableFuture<List<Path>>> made = new ArrayList<>();
            for (int up = 0; up < ups; up++) {
                made.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        together.await();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                    try (StateLock lock = acquireCreating(state)) {
                        return lock.createdDirectories();
                    }
                }, OWN_THREAD));
            }
            List<Path> recorded = new ArrayList<>();
            for (CompletableFuture<List<Path>> up : made) {
                recorded.addAll(up.get(WAIT_SECONDS, TimeUnit.SECONDS));
            }
            Path top = dir.resolve("round" + round);
            assertThat(recorded).as("each level made once, by one of them").containsExactlyInAnyOrder(
                    top, top.resolve("run"), top.resolve("run/dpuvirt"), state);
        }
    }

    @Test
    void withoutTheDirectoryThereIsNothingToLock() throws Exception {
        assertThat(StateLock.acquire(dir.resolve("none"), err)).isEmpty();
        assertThat(dir.resolve("none")).doesNotExist();
    }

    @Test
    void aSecondCommandWaitsForTheFirstAndSaysSo() throws Exception {
        Path state = dir.resolve("offload");
        StateLock first = StateLock.acquireCreating(state, err);
        CompletableFuture<Optional<StateLock>> second = CompletableFuture.supplyAsync(() -> acquire(state), OWN_THREAD);
        waitUntilSaid("another offload up or down runs on this side");
        assertThat(second).as("waits while the first holds it").isNotDone();

        first.close();
        try (StateLock lock = second.get(WAIT_SECONDS, TimeUnit.SECONDS).orElseThrow()) {
            assertThat(lock.createdDirectories()).isEmpty();
        }
    }

    @Test
    void aWaiterWhoseDirectoryADownRemovedStartsOver() throws Exception {
        Path state = dir.resolve("offload");
        StateLock down = StateLock.acquireCreating(state, err);
        CompletableFuture<Optional<StateLock>> waitingDown = CompletableFuture.supplyAsync(() -> acquire(state), OWN_THREAD);
        // the other down gets the new directory (before or after the up) or nothing if it looked while there was none;
        // whatever it gets it lets go at once, so that the up never waits for this test
        CompletableFuture<Void> downDone = waitingDown.thenAccept(lock -> lock.ifPresent(StateLock::close));
        CompletableFuture<StateLock> waitingUp = CompletableFuture.supplyAsync(() -> acquireCreating(state), OWN_THREAD);
        waitUntilSaid("waiting for it to end");
        Files.delete(state); // the first down's last change
        down.close();

        try (StateLock up = waitingUp.get(WAIT_SECONDS, TimeUnit.SECONDS)) {
            assertThat(state).isDirectory();
            assertThat(up.createdDirectories()).as("made again, and recorded").containsExactly(state);
        }
        downDone.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private void waitUntilSaid(String text) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        while (!said.toString(StandardCharsets.UTF_8).contains(text) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(said.toString(StandardCharsets.UTF_8)).contains(text);
    }

    private Optional<StateLock> acquire(Path state) {
        try {
            return StateLock.acquire(state, err);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private StateLock acquireCreating(Path state) {
        try {
            return StateLock.acquireCreating(state, err);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
