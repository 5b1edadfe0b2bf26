package io.dpuvirt.virt.driver.qemu;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.StateReason;
import io.dpuvirt.virt.host.HostProcess;
import io.dpuvirt.virt.host.LocalHost;
import io.dpuvirt.virt.host.ProcessExit;
import io.dpuvirt.virt.host.ProcessId;
import io.dpuvirt.virt.host.Signal;
import io.dpuvirt.virt.qmp.MonitorConnector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.virt.driver.qemu.GoldenCommandLines.domain;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A guest's monitor lost and connected again, against a scripted QMP server on a unix socket. */
@Timeout(30)
class VmmGuestReconnectTest {
    @TempDir
    Path root;

    private final List<DomainStatus> reported = new CopyOnWriteArrayList<>();
    private final RunningProcess process = new RunningProcess();
    private FakeQmp qmp;

    @AfterEach
    void stop() throws IOException {
        process.alive = false; // the guest stops connecting again
        if (qmp != null) {
            qmp.close();
        }
    }

    @Test
    void commandsWaitUntilTheStateIsReadOnTheNewConnectionSoThatASuspendIsNeverTakenForNobodys() throws Exception {
        DomainConfig config = domain("qemu-tcg-devices.xml");
        GuestFiles files = GuestFiles.of(root, "qemu", 7, config.name());
        Files.createDirectories(files.directory());
        qmp = new FakeQmp(files.monitor());
        VmmGuest guest = new VmmGuest(new GuestContext(new LocalHost(), QemuDriverFactory.PROFILE, root,
                new MonitorConnector((socket, mayWait) -> SocketChannel.open(UnixDomainSocketAddress.of(socket)),
                        Duration.ofSeconds(5))),
                new LaunchPlan(config, 7, "qemu-system-x86_64", Accelerator.TCG, files, CharDevicePlan.of(config, files)),
                process, false, reported::add);
        guest.connect(Duration.ofSeconds(5));

        qmp.holdStatusAnswers();
        qmp.dropConnection(); // as a cut link does: the guest connects again and asks its state
        assertThat(qmp.statusAsked.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(guest::pause).isInstanceOf(DriverException.class).hasMessageContaining("not connected");
        qmp.releaseStatusAnswers(); // "running": as it was before the connection dropped

        awaitSuccess(guest::pause);
        Thread.sleep(300); // the STOP event of the suspend is heard and handled meanwhile
        assertThat(reported).doesNotContain(DomainStatus.of(StateReason.Paused.UNKNOWN));
        guest.resume();
        Thread.sleep(300);
        assertThat(reported).doesNotContain(DomainStatus.of(StateReason.Paused.UNKNOWN));
    }

    /** After a daemon restart, a guest whose monitor cannot be reached yet is kept, not forgotten, and reached later. */
    @Test
    void aGuestFoundAgainWhoseMonitorIsNotReachableYetIsKeptAndItsMonitorConnectedLater() throws Exception {
        DomainConfig config = domain("qemu-tcg-devices.xml");
        GuestFiles files = GuestFiles.of(root, "qemu", 8, config.name());
        Files.createDirectories(files.directory());
        VmmGuest guest = new VmmGuest(new GuestContext(new LocalHost(), QemuDriverFactory.PROFILE, root,
                new MonitorConnector((socket, mayWait) -> SocketChannel.open(UnixDomainSocketAddress.of(socket)),
                        Duration.ofSeconds(5))),
                new LaunchPlan(config, 8, "qemu-system-x86_64", Accelerator.TCG, files, CharDevicePlan.of(config, files)),
                process, false, reported::add);

        assertThat(guest.connectOrKeepTrying(Duration.ofMillis(300))).isFalse();
        assertThatThrownBy(guest::pause).isInstanceOf(DriverException.class).hasMessageContaining("not connected");
        qmp = new FakeQmp(files.monitor()); // the link is back
        awaitSuccess(guest::pause);
        guest.resume();
    }

    private static void awaitSuccess(Action action) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                action.run();
                return;
            } catch (DriverException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    /** A hypervisor process that runs until the test ends. */
    private static final class RunningProcess implements HostProcess {
        volatile boolean alive = true;

        @Override
        public ProcessId id() {
            return new ProcessId(4242, 1);
        }

        @Override
        public boolean isAlive() {
            return alive;
        }

        @Override
        public void signal(Signal signal) {
        }

        @Override
        public void setAffinity(int threadId, BitSet cpus) {
        }

        @Override
        public Duration cpuTime() {
            return Duration.ZERO;
        }

        @Override
        public CompletableFuture<ProcessExit> exit() {
            return new CompletableFuture<>();
        }
    }

    /**
     * Answers QMP as QEMU does for the commands a guest sends: the greeting, qmp_capabilities, query-status, stop
     * and cont (each with its event first). Its answers to query-status can be held back.
     */
    private static final class FakeQmp implements AutoCloseable {
        private static final ObjectMapper JSON = new ObjectMapper();

        final CountDownLatch statusAsked = new CountDownLatch(1);
        private final ServerSocketChannel server;
        private volatile SocketChannel current;
        private volatile boolean running = true;
        private volatile CountDownLatch statusGate = new CountDownLatch(0);
        private volatile boolean counting;

        FakeQmp(Path socket) throws IOException {
            server = ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            server.bind(UnixDomainSocketAddress.of(socket));
            Thread.ofPlatform().daemon().start(this::acceptLoop);
        }

        void holdStatusAnswers() {
            statusGate = new CountDownLatch(1);
            counting = true;
        }

        void releaseStatusAnswers() {
            statusGate.countDown();
        }

        void dropConnection() throws IOException {
            current.close();
        }

        private void acceptLoop() {
            try {
                while (true) {
                    SocketChannel client = server.accept();
                    current = client;
                    Thread.ofPlatform().daemon().start(() -> serve(client));
                }
            } catch (IOException e) {
                // closed at the test's end
            }
        }

        private void serve(SocketChannel client) {
            try (client) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(client),
                        StandardCharsets.UTF_8));
                OutputStream out = Channels.newOutputStream(client);
                send(out, "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}}, "
                        + "\"capabilities\": []}}");
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    JsonNode command = JSON.readTree(line);
                    String id = command.path("id").asText();
                    switch (command.path("execute").asText()) {
                        case "query-status" -> {
                            if (counting) {
                                statusAsked.countDown();
                            }
                            statusGate.await();
                            send(out, "{\"return\": {\"status\": \"" + (running ? "running" : "paused")
                                    + "\", \"singlestep\": false, \"running\": " + running + "}, \"id\": \"" + id + "\"}");
                        }
                        case "stop" -> {
                            running = false;
                            send(out, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"STOP\"}");
                            send(out, "{\"return\": {}, \"id\": \"" + id + "\"}");
                        }
                        case "cont" -> {
                            running = true;
                            send(out, "{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"RESUME\"}");
                            send(out, "{\"return\": {}, \"id\": \"" + id + "\"}");
                        }
                        default -> send(out, "{\"return\": {}, \"id\": \"" + id + "\"}");
                    }
                }
            } catch (IOException e) {
                // the guest or the test closed the connection
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static synchronized void send(OutputStream out, String message) throws IOException {
            out.write((message + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        }

        @Override
        public void close() throws IOException {
            statusGate.countDown();
            server.close();
            SocketChannel last = current;
            if (last != null) {
                last.close();
            }
        }
    }
}
