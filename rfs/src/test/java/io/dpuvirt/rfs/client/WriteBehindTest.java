package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.rfs.wire.Attr;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The client's bookkeeping for writes answered before the HOST made them: kept attributes and failures. */
class WriteBehindTest {
    private static Attr sized(long size) {
        return new Attr(7, size, 0, 0, 0, 0, 0, 0, 0, Attr.S_IFREG | 0644, 1, 0, 0, 0, 0, 4096, 7);
    }

    @Test
    void noAttributesAreAnsweredNorKeptForANodeWithWritesOnTheirWay() {
        AttrCache cache = new AttrCache(Duration.ofSeconds(1));
        cache.put(7, sized(0));
        cache.writing(7);
        cache.writing(7);
        assertThat(cache.fresh(7)).isNull();
        cache.put(7, sized(0)); // a lookup's answer the HOST gave before the writes
        assertThat(cache.fresh(7)).isNull();
        cache.written(7, sized(4096));
        assertThat(cache.fresh(7)).as("a write is still on its way").isNull();
        cache.written(7, sized(8192));
        assertThat(cache.fresh(7).attr().size()).isEqualTo(8192);
        cache.writing(7);
        cache.written(7, null); // failed: what the HOST has is unknown
        assertThat(cache.fresh(7)).isNull();
        cache.put(7, sized(8192));
        assertThat(cache.fresh(7)).isNotNull();
    }

    @Test
    void theFirstFailureIsReportedOnceAndTheWaitEndsWithTheLastAnswer() throws Exception {
        WritesInFlight writes = new WritesInFlight();
        writes.sent();
        writes.sent();
        writes.sent();
        CompletableFuture<Void> waited = CompletableFuture.runAsync(() -> {
            try {
                writes.awaitAnswers();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        writes.answered(0);
        writes.answered(Errno.ENOSPC);
        assertThat(waited).isNotDone();
        writes.answered(Errno.EIO);
        waited.get(10, TimeUnit.SECONDS);
        assertThat(writes.takeFailure()).isEqualTo(Errno.ENOSPC);
        assertThat(writes.takeFailure()).isZero();
    }
}
