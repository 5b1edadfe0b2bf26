package io.dpuvirt.fabric.udsproxy;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

class CoalescingWorkerTest {
    @Test
    void requestsDuringARunMakeOneMoreRunThatSeesTheLatestValue() throws Exception {
        AtomicInteger value = new AtomicInteger();
        List<Integer> seen = new ArrayList<>();
        CountDownLatch firstRunStarted = new CountDownLatch(1);
        CountDownLatch releaseFirstRun = new CountDownLatch(1);
        CountDownLatch secondRunDone = new CountDownLatch(1);
        CoalescingWorker worker = new CoalescingWorker("test-worker", () -> {
            synchronized (seen) {
                seen.add(value.get());
            }
            if (firstRunStarted.getCount() > 0) {
                firstRunStarted.countDown();
                await(releaseFirstRun);
            } else {
                secondRunDone.countDown();
            }
        });
        worker.start();
        value.set(1);
        worker.request();
        assertThat(firstRunStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 2; i <= 5; i++) { // while the first run is held up
            value.set(i);
            worker.request();
        }
        releaseFirstRun.countDown();
        assertThat(secondRunDone.await(10, TimeUnit.SECONDS)).isTrue();
        worker.stop();
        Thread.sleep(100); // a third run, if there were one, would have started by now
        synchronized (seen) {
            assertThat(seen).containsExactly(1, 5);
        }
    }

    @Test
    void aFailingRunDoesNotEndTheWorker() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CountDownLatch firstRun = new CountDownLatch(1);
        CountDownLatch secondRun = new CountDownLatch(1);
        CoalescingWorker worker = new CoalescingWorker("test-worker", () -> {
            (runs.incrementAndGet() == 1 ? firstRun : secondRun).countDown();
            throw new IllegalStateException("boom");
        });
        worker.start();
        worker.request();
        assertThat(firstRun.await(10, TimeUnit.SECONDS)).isTrue();
        worker.request();
        assertThat(secondRun.await(10, TimeUnit.SECONDS)).isTrue();
        worker.stop();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
