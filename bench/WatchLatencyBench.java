import io.dpuvirt.common.linux.Inotify;

import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;

/**
 * How soon a thread waiting for a directory's events wakes after another thread binds a unix socket there: the JDK's
 * WatchService (its own poller thread hands events to take()) against dpuvirt's Inotify polled by the waiting thread
 * itself, as udsproxyd's scanner does. RUNS binds after 200 unmeasured ones, 2 ms apart; prints "median p99 max" in
 * microseconds. Run with the source launcher:
 * java --enable-native-access=ALL-UNNAMED -cp "$(cat cli/target/classpath)" bench/WatchLatencyBench.java watchservice|inotify RUNS
 */
public class WatchLatencyBench {
    private static volatile long woke;

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(args[1]);
        Path dir = Files.createTempDirectory("watch-latency");
        CountDownLatch watching = new CountDownLatch(1);
        Runnable waiter = switch (args[0]) {
            case "watchservice" -> () -> {
                try (WatchService service = FileSystems.getDefault().newWatchService()) {
                    dir.register(service, StandardWatchEventKinds.ENTRY_CREATE);
                    watching.countDown();
                    while (true) {
                        WatchKey key = service.take();
                        woke = System.nanoTime();
                        key.pollEvents();
                        key.reset();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            case "inotify" -> () -> {
                try (Inotify inotify = Inotify.open()) { // confined to the thread that opens it
                    inotify.watch(dir, Inotify.IN_CREATE);
                    watching.countDown();
                    while (true) {
                        if (!inotify.await(-1).isEmpty()) {
                            woke = System.nanoTime();
                        }
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            default -> throw new IllegalArgumentException("watchservice or inotify, not " + args[0]);
        };
        Thread.ofPlatform().daemon().start(waiter);
        watching.await();
        long[] nanos = new long[runs];
        for (int i = -200; i < runs; i++) {
            Path path = dir.resolve("s" + (i + 200) + ".sock");
            woke = 0;
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                long bound = System.nanoTime();
                server.bind(UnixDomainSocketAddress.of(path));
                while (woke == 0) {
                    Thread.onSpinWait();
                }
                if (i >= 0) {
                    nanos[i] = woke - bound;
                }
            }
            Files.delete(path);
            Thread.sleep(2);
        }
        Arrays.sort(nanos);
        System.out.printf("%.0f %.0f %.0f%n", nanos[runs / 2] / 1e3, nanos[runs * 99 / 100] / 1e3, nanos[runs - 1] / 1e3);
    }
}
