package io.dpuvirt.fabric.rexec;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class TaskThreadsTest {
    private final TaskThreads threads = new TaskThreads("test-idle", 256 * 1024);

    @Test
    void aTaskRunsUnderItsNameAndItsThreadIsKeptForTheNextTask() throws Exception {
        CompletableFuture<Thread> first = new CompletableFuture<>();
        CompletableFuture<String> firstName = new CompletableFuture<>();
        threads.start("first-task", () -> {
            firstName.complete(Thread.currentThread().getName());
            first.complete(Thread.currentThread());
        });
        Thread firstThread = first.get(5, TimeUnit.SECONDS);
        assertThat(firstName.get()).isEqualTo("first-task");
        awaitIdle(firstThread, "test-idle"); // the task is over: its name goes with it

        CompletableFuture<Thread> second = new CompletableFuture<>();
        threads.start("second-task", () -> second.complete(Thread.currentThread()));
        assertThat(second.get(5, TimeUnit.SECONDS)).isSameAs(firstThread);
        assertThat(firstThread.isDaemon()).isTrue();
    }

    @Test
    void tasksThatRunAtOnceEachGetAThread() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch release = new CountDownLatch(1);
        Runnable waitForTheOther = () -> {
            bothRunning.countDown();
            try {
                release.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        threads.start("one", waitForTheOther);
        threads.start("two", waitForTheOther);
        assertThat(bothRunning.await(5, TimeUnit.SECONDS)).isTrue();
        release.countDown();
    }

    /** Until the thread has its idle name back and waits for a task (a task handed over sooner starts a new thread). */
    private static void awaitIdle(Thread thread, String name) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(thread.getName().equals(name) && thread.getState() == Thread.State.TIMED_WAITING) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertThat(thread.getName()).isEqualTo(name);
        assertThat(thread.getState()).isEqualTo(Thread.State.TIMED_WAITING);
    }
}
