package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** A mirror whose daemon can make no more threads (a task limit) still serves its clients, one after the other. */
@Timeout(30)
class MirrorThreadsTest {
    @TempDir
    Path dir;

    @Test
    void withoutAThreadToHandAcceptingOnTheMirrorServesItsClientAndAcceptsAgain() throws Exception {
        AtomicInteger made = new AtomicInteger();
        // the first thread, for the first accept, is made; every later one fails as at a task limit
        Executor threads = task -> {
            if (made.getAndIncrement() > 0) {
                throw new OutOfMemoryError("unable to create native thread: possibly out of memory or process/resource limits reached");
            }
            Thread.ofPlatform().daemon().start(task);
        };
        LinkedBlockingQueue<String> served = new LinkedBlockingQueue<>();
        String path = dir.resolve("m.sock").toString();
        Mirror mirror = Mirror.open(path, new SocketExport(path, SocketType.STREAM, 0600, 0, 0), threads, (m, client) -> {
            served.add("client " + m.accepted());
            client.close();
        });
        try {
            for (int i = 1; i <= 3; i++) {
                try (NativeSocket client = NativeSocket.connect(new SockAddr.Unix(path), SocketType.STREAM)) {
                    assertThat(served.poll(10, TimeUnit.SECONDS)).isEqualTo("client " + i);
                }
            }
        } finally {
            mirror.stop();
        }
    }
}
