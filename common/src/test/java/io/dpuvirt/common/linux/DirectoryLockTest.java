package io.dpuvirt.common.linux;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class DirectoryLockTest {
    private static final Runnable SILENT = () -> { };

    @TempDir
    Path dir;

    @Test
    void thereIsNoLockOfADirectoryThatIsNotThere() throws Exception {
        assertThat(DirectoryLock.acquire(dir.resolve("absent"), SILENT)).isEmpty();
        assertThat(DirectoryLock.tryAcquire(dir.resolve("absent"), Duration.ZERO)).isEmpty();
    }

    @Test
    void aHeldLockKeepsOutAnotherThreadOfTheSameProcessUntilItIsLetGo() throws Exception {
        Optional<DirectoryLock> held = DirectoryLock.acquire(dir, SILENT);
        assertThat(held).isPresent();
        try (DirectoryLock _ = held.get()) {
            assertThat(DirectoryLock.tryAcquire(dir, Duration.ofMillis(50))).isEmpty();
        }
        Optional<DirectoryLock> after = DirectoryLock.tryAcquire(dir, Duration.ZERO);
        assertThat(after).isPresent();
        after.get().close();
    }

    @Test
    @Timeout(30)
    void aWaiterIsToldOnceAndGetsTheLockWhenTheHolderLetsGo() throws Exception {
        AtomicInteger told = new AtomicInteger();
        DirectoryLock held = DirectoryLock.acquire(dir, SILENT).orElseThrow();
        CompletableFuture<Optional<DirectoryLock>> waiter = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                waiter.complete(DirectoryLock.acquire(dir, told::incrementAndGet));
            } catch (Throwable e) {
                waiter.completeExceptionally(e);
            }
        });
        while (told.get() == 0) {
            Thread.sleep(1);
        }
        assertThat(waiter).isNotDone();
        held.close();
        DirectoryLock got = waiter.get(20, TimeUnit.SECONDS).orElseThrow();
        got.close();
        assertThat(told).hasValue(1);
    }

    @Test
    @Timeout(30)
    void aDirectoryReplacedWhileAWaiterWaitsIsLockedAsItIsNow() throws Exception {
        Path level = Files.createDirectory(dir.resolve("level"));
        DirectoryLock held = DirectoryLock.acquire(level, SILENT).orElseThrow();
        CompletableFuture<Optional<DirectoryLock>> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                return DirectoryLock.tryAcquire(level, Duration.ofSeconds(20));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
        Thread.sleep(20);
        Files.delete(level);
        Files.createDirectory(level);
        held.close(); // the waiter now holds the removed directory: it must let go and lock the new one
        try (DirectoryLock got = waiter.get(20, TimeUnit.SECONDS).orElseThrow()) {
            assertThat(DirectoryLock.tryAcquire(level, Duration.ZERO)).isEmpty();
        }
    }
}
