package io.dpuvirt.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** qtcfg and offload up change /etc/qtfs/whitelist by reading and rewriting it: one change at a time. */
class QtcfgTest {
    @TempDir
    Path dir;

    @Test
    void aChangeWaitsForTheOneUnderWay() throws Exception {
        Path whitelist = dir.resolve("whitelist");
        CountDownLatch secondTried = new CountDownLatch(1);
        CompletableFuture<Void> second;
        try (QtfsWhitelistWriter.Lock first = QtfsWhitelistWriter.lock(whitelist)) {
            second = CompletableFuture.runAsync(() -> {
                secondTried.countDown();
                try (QtfsWhitelistWriter.Lock ignored = QtfsWhitelistWriter.lock(whitelist)) {
                    // held: the first is done
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertThat(secondTried.await(10, TimeUnit.SECONDS)).isTrue();
            Thread.sleep(200);
            assertThat(second).as("the second change waits while the first holds the lock").isNotDone();
        }
        second.get(10, TimeUnit.SECONDS);
    }
}
