package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.driver.ConsoleOutput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ByteChannel;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A console session whose channel takes its own monitor in close(), as a stream through the HOST's udsproxyd does:
 * a client's write blocked on a full link must not keep the session from closing.
 */
@Timeout(30)
class SocketConsoleTest {
    /** Writes block until the channel is closed; reads wait for the close and then end. */
    private static final class StuckChannel implements ByteChannel {
        private final CountDownLatch closed = new CountDownLatch(1);
        private final CountDownLatch writing = new CountDownLatch(1);

        @Override
        public int write(ByteBuffer from) throws AsynchronousCloseException {
            writing.countDown();
            await();
            throw new AsynchronousCloseException();
        }

        @Override
        public int read(ByteBuffer into) {
            await();
            return -1;
        }

        @Override
        public synchronized void close() {
            closed.countDown();
        }

        @Override
        public synchronized boolean isOpen() {
            return closed.getCount() > 0;
        }

        private void await() {
            try {
                closed.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void closingDoesNotWaitBehindABlockedWrite() throws Exception {
        StuckChannel channel = new StuckChannel();
        CompletableFuture<Void> ended = new CompletableFuture<>();
        SocketConsole console = SocketConsole.attach(channel, new ConsoleOutput() {
            @Override
            public void received(byte[] bytes) {
            }

            @Override
            public void ended() {
                ended.complete(null);
            }
        }, "stuck");
        Thread typist = Thread.ofPlatform().daemon().start(() -> {
            try {
                console.send("a paste the link cannot take".getBytes());
            } catch (IOException e) {
                // the close ends the write: expected
            }
        });
        assertThat(channel.writing.await(10, TimeUnit.SECONDS)).as("the write is under way").isTrue();

        CompletableFuture.runAsync(console::close).get(10, TimeUnit.SECONDS);

        ended.get(10, TimeUnit.SECONDS);
        typist.join(10_000);
        assertThat(typist.isAlive()).as("the write ended with the close").isFalse();
    }
}
