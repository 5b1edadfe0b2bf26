package io.dpuvirt.cli.offload;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
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
import java.util.concurrent.atomic.AtomicBoolean;

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

    /**
     * Two first-time ups: one makes the state directory's levels; the other, finding them made, takes the lock first
     * and records none. The first must record them when it goes on from that state, or they outlive both ups' downs.
     */
    @Test
    void levelsAnUpMadeAreRecordedAlsoWhenAnotherUpTookTheLockFirst() throws Exception {
        Path top = dir.resolve("run");
        Path state = top.resolve("offload");
        StateStore store = new StateStore(state, "libvirt", Side.HOST);
        StateLock making = StateLock.acquireCreating(state, err);
        making.close(); // the other up's flock(2) comes between this one's mkdir(2)s and its own
        Path guests = dir.resolve("guests");
        try (StateLock other = StateLock.acquireCreating(state, err)) {
            assertThat(other.createdDirectories()).isEmpty();
            Journal.open(store, "libvirt", Side.HOST, other.createdDirectories()).record(new Change.CreatedDirectory(guests));
            Files.createDirectory(guests);
        }
        try (StateLock first = StateLock.acquire(state, err).orElseThrow()) {
            assertThat(Journal.open(store, "libvirt", Side.HOST, making.createdDirectories()).state().changes()).containsExactly(
                    new Change.CreatedDirectory(top), new Change.CreatedDirectory(state), new Change.CreatedDirectory(guests));
        }
        try (StateLock down = StateLock.acquire(state, err).orElseThrow()) {
            new Rollback(store, state, dir.resolve("log"), dir.resolve("status.sock"), err).run(new Report(err));
        }
        assertThat(top).doesNotExist();
        assertThat(guests).doesNotExist();
    }

    /**
     * Two first-time ups may share the making: one made the level above, the other the state directory in it. The levels
     * are recorded outermost first whichever records first, since down removes them in the reverse order.
     */
    @Test
    void levelsRecordedByTwoUpsStayOutermostFirst() throws Exception {
        Path top = dir.resolve("run");
        Path state = top.resolve("offload");
        StateStore store = new StateStore(state, "libvirt", Side.HOST);
        Files.createDirectories(state);
        Journal.open(store, "libvirt", Side.HOST, List.of(state));

        assertThat(Journal.open(store, "libvirt", Side.HOST, List.of(top)).state().changes())
                .containsExactly(new Change.CreatedDirectory(top), new Change.CreatedDirectory(state));
        assertThat(store.load().orElseThrow().changes())
                .containsExactly(new Change.CreatedDirectory(top), new Change.CreatedDirectory(state));
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

    /**
     * A down removes its state directory, then the level above it that the first up made, if it is empty by then. An
     * up that came between the two made its own state directory in that level, which it found there and so did not
     * record: down kept the level for the new state directory in it, and the up's own down later left it behind,
     * recorded by neither. The up must wait while down removes the levels (it then makes them again and records them),
     * and down must not remove the state directory an up holds the lock of.
     */
    @Test
    void anUpThatComesWhileADownRemovesTheLevelsAboveRecordsEveryLevelItMakes() throws Exception {
        Path top = dir.resolve("run");
        Path state = top.resolve("offload");
        StateStore store = new StateStore(state, "libvirt", Side.HOST);
        try (StateLock first = StateLock.acquireCreating(state, err)) {
            Journal.open(store, "libvirt", Side.HOST, first.createdDirectories());
        }
        CompletableFuture<Void> upWaits = new CompletableFuture<>();
        PrintStream upErr = new PrintStream(new OutputStream() {
            private final StringBuilder said = new StringBuilder();

            @Override
            public void write(int b) {
                said.append((char) b);
                if (said.toString().contains("waiting for it to end")) {
                    upWaits.complete(null);
                }
            }
        }, true, StandardCharsets.UTF_8);
        List<CompletableFuture<StateLock>> ups = new ArrayList<>();
        // the report's line for the state directory comes after its removal and before the level above goes: the up
        // starts there, and down goes on once the up has its lock or waits for one
        Report report = new Report(new PrintStream(new OutputStream() {
            private final StringBuilder said = new StringBuilder();

            @Override
            public void write(int b) {
                said.append((char) b);
                if (ups.isEmpty() && said.toString().contains("removed  directory " + state + System.lineSeparator())) {
                    ups.add(CompletableFuture.supplyAsync(() -> acquireCreating(state, upErr), OWN_THREAD));
                    CompletableFuture.anyOf(ups.getFirst(), upWaits).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
                }
            }
        }, true, StandardCharsets.UTF_8));

        try (StateLock down = StateLock.acquire(state, err).orElseThrow()) {
            assertThat(new Rollback(store, state, dir.resolve("log"), dir.resolve("status.sock"), err).run(report)).isTrue();
        }
        assertThat(ups).as("an up came while down removed the levels").hasSize(1);
        try (StateLock up = ups.getFirst().get(WAIT_SECONDS, TimeUnit.SECONDS)) {
            assertThat(state).as("the directory the up holds the lock of").isDirectory();
            Journal.open(store, "libvirt", Side.HOST, up.createdDirectories());
        }
        try (StateLock upsDown = StateLock.acquire(state, err).orElseThrow()) {
            new Rollback(store, state, dir.resolve("log"), dir.resolve("status.sock"), err).run(new Report(err));
        }
        assertThat(top).as("what the up made is recorded: its down removed it").doesNotExist();
        assertThat(upWaits).as("the up waited while down removed the level above").isDone();
    }

    /**
     * The level above goes (it is empty) between an up's look and its lock, or its make: the up looks again. Removed
     * here without its lock, so as by other hands than a down's too.
     */
    @Test
    void anUpWhoseLevelAboveWentBeforeItMadeItsDirectoryLooksAgain() throws Exception {
        Path top = dir.resolve("run");
        Path state = top.resolve("offload");
        AtomicBoolean downs = new AtomicBoolean(true);
        Thread removingTheLevelAbove = Thread.ofPlatform().daemon().start(() -> {
            while (downs.get()) {
                try {
                    CreatedPaths.removeEmptyDirectory(top);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        });
        try {
            for (int round = 0; round < 2000; round++) {
                try (StateLock up = StateLock.acquireCreating(state, err)) {
                    assertThat(state).isDirectory();
                    Files.delete(state); // its down, holding the lock
                }
            }
        } finally {
            downs.set(false);
            removingTheLevelAbove.join();
        }
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
        return acquireCreating(state, err);
    }

    private static StateLock acquireCreating(Path state, PrintStream err) {
        try {
            return StateLock.acquireCreating(state, err);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
