package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.UnixDomainSocketAddress;
import java.util.concurrent.TimeoutException;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.ByteChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QmpClientTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final MonitorConnector CONNECTOR =
            new MonitorConnector((socket, mayWait) -> SocketChannel.open(UnixDomainSocketAddress.of(socket)), TIMEOUT);

    @TempDir
    Path dir;

    private static final class Recorder implements QmpListener {
        final List<QmpEvent> events = new CopyOnWriteArrayList<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();

        @Override
        public void event(QmpEvent event) {
            events.add(event);
        }

        @Override
        public void disconnected(String why) {
            ended.complete(why);
        }
    }

    private Monitor connect(Path socket, Recorder recorder, QmpDialect dialect) throws QmpException {
        return new Monitor(CONNECTOR.connect(socket, TIMEOUT, () -> true, recorder), dialect, TIMEOUT);
    }

    @Test
    void handshakeThenCommandsCarryTheirIds() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (FakeMonitor fake = FakeMonitor.start(socket, "\r\n", FakeMonitor::standard);
             Monitor monitor = connect(socket, new Recorder(), QmpDialect.QEMU)) {
            assertThat(monitor.status()).isEqualTo(new RunStatus(true, "running"));
            monitor.stop();
            assertThat(fake.received).extracting(c -> c.path("execute").asText())
                    .containsExactly("qmp_capabilities", "query-status", "stop");
            assertThat(fake.received).extracting(c -> c.path("id").asText()).doesNotHaveDuplicates()
                    .allMatch(id -> id.startsWith("dpuvirt-"));
        }
    }

    @Test
    void eventsReachTheListenerAndAnErrorNamesItsClass() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (FakeMonitor fake = FakeMonitor.start(socket, "\n", command -> {
            if (command.path("execute").asText().equals("system_powerdown")) {
                return List.of("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"POWERDOWN\"}",
                        "{\"return\": {}, \"id\": " + command.get("id") + "}",
                        "{\"event\": \"SHUTDOWN\", \"data\": {\"guest\": true, \"reason\": \"guest-shutdown\"}}");
            }
            return FakeMonitor.standard(command);
        })) {
            Recorder recorder = new Recorder();
            try (Monitor monitor = connect(socket, recorder, QmpDialect.QEMU)) {
                monitor.systemPowerdown();
                assertThatThrownBy(monitor::systemReset).isInstanceOf(QmpCommandError.class)
                        .hasMessage("system_reset: The command system_reset has not been found (CommandNotFound)");
                fake.hangUp();
                assertThat(recorder.ended.get(5, TimeUnit.SECONDS)).isEqualTo("the monitor closed the connection");
            }
            assertThat(recorder.events).extracting(QmpEvent::name).containsExactly("POWERDOWN", "SHUTDOWN");
            assertThat(recorder.events.get(1).flag("guest")).isTrue();
            assertThat(recorder.events.get(1).text("reason")).isEqualTo("guest-shutdown");
            assertThat(recorder.events.getFirst().data().isObject()).isTrue();
        }
    }

    @Test
    void answersWithoutIdsAreMatchedInOrder() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (FakeMonitor ignored = FakeMonitor.start(socket, "\r\n", command -> switch (command.path("execute").asText()) {
            case "query-cpus" -> List.of("{\"return\": [{\"CPU\": 0, \"current\": true, \"halted\": false, "
                    + "\"qom_path\": \"/machine/unattached/device[0]\", \"arch\": \"x86\", \"thread_id\": 3134}, "
                    + "{\"CPU\": 1, \"current\": false, \"halted\": true, \"qom_path\": \"/machine/unattached/device[2]\", "
                    + "\"arch\": \"x86\", \"thread_id\": 3135}]}");
            default -> List.of("{\"return\": {}}");
        }); Monitor monitor = connect(socket, new Recorder(), QmpDialect.STRATOVIRT)) {
            assertThat(monitor.vcpuThreads()).containsExactly(new VcpuThread(0, 3134), new VcpuThread(1, 3135));
            monitor.cont();
        }
    }

    @Test
    void qemuListsVcpuThreadsWithQueryCpusFast() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (FakeMonitor ignored = FakeMonitor.start(socket, "\r\n", command ->
                command.path("execute").asText().equals("query-cpus-fast")
                        ? List.of("{\"return\": [{\"thread-id\": 700, \"props\": {\"core-id\": 0}, \"qom-path\": "
                        + "\"/machine/unattached/device[0]\", \"cpu-index\": 0, \"target\": \"x86_64\"}], \"id\": "
                        + command.get("id") + "}")
                        : FakeMonitor.standard(command));
             Monitor monitor = connect(socket, new Recorder(), QmpDialect.QEMU)) {
            assertThat(monitor.vcpuThreads()).containsExactly(new VcpuThread(0, 700));
        }
    }

    /**
     * A connection that ends before its handshake completes (a mirror whose link is down accepts and closes) fails
     * the connect, and only that: its listener never hears of it, as it would of its monitor's end.
     */
    @Test
    void aConnectionEndingBeforeItsHandshakeFailsTheConnectAndTellsNoListener() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            CompletableFuture.runAsync(() -> {
                try {
                    server.accept().close();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            Recorder recorder = new Recorder();
            assertThatThrownBy(() -> CONNECTOR.connect(socket, TIMEOUT, () -> true, recorder)).isInstanceOf(QmpException.class)
                    .hasMessageContaining("before its greeting");
            assertThatThrownBy(() -> recorder.ended.get(500, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
        }
    }

    @Test
    void aCommandWithoutAnswerTimesOutAndAHangUpFailsTheWaitingOnes() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        List<JsonNode> unanswered = new ArrayList<>();
        try (FakeMonitor fake = FakeMonitor.start(socket, "\n", command -> {
            if (command.path("execute").asText().equals("quit")) {
                unanswered.add(command);
                return List.of();
            }
            return FakeMonitor.standard(command);
        })) {
            Recorder recorder = new Recorder();
            QmpClient client = CONNECTOR.connect(socket, TIMEOUT, () -> true, recorder);
            assertThatThrownBy(() -> client.execute("quit", Duration.ofMillis(200))).isInstanceOf(QmpException.class)
                    .hasMessage("monitor " + socket + ": no answer to quit within 200 ms");
            CompletableFuture<Throwable> waiting = CompletableFuture.supplyAsync(() -> {
                try {
                    client.execute("quit", TIMEOUT);
                    return null;
                } catch (QmpException e) {
                    return e;
                }
            });
            while (unanswered.size() < 2) {
                Thread.sleep(10);
            }
            fake.hangUp();
            assertThat(waiting.get(5, TimeUnit.SECONDS)).isInstanceOf(QmpException.class)
                    .hasMessageContaining("the monitor connection ended (the monitor closed the connection)");
            assertThat(client.isOpen()).isFalse();
            assertThatThrownBy(() -> client.execute("cont", TIMEOUT)).hasMessageContaining("is closed");
        }
    }

    @Test
    void theConnectorWaitsForTheSocketToAppear() throws Exception {
        Path socket = dir.resolve("late.sock");
        CompletableFuture<FakeMonitor> late = CompletableFuture.supplyAsync(() -> {
            try {
                Thread.sleep(300);
                return FakeMonitor.start(socket, "\n", FakeMonitor::standard);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        try (Monitor monitor = connect(socket, new Recorder(), QmpDialect.QEMU)) {
            assertThat(monitor.status().running()).isTrue();
        } finally {
            late.get().close();
        }
    }

    @Test
    void aConnectionBegunAheadIsMadeWhenTheSocketAppearsAndEndsWhenItsProcessFailedToStart() throws Exception {
        Path socket = dir.resolve("ahead.sock");
        CompletableFuture<ByteChannel> ahead = CONNECTOR.connectAhead(socket, TIMEOUT, () -> true);
        Thread.sleep(50); // the hypervisor starts meanwhile
        assertThat(ahead).isNotDone();
        try (FakeMonitor fake = FakeMonitor.start(socket, "\n", FakeMonitor::standard);
             Monitor monitor = new Monitor(CONNECTOR.handshake(ahead, socket, new Recorder()), QmpDialect.QEMU, TIMEOUT)) {
            assertThat(monitor.status().running()).isTrue();
        }

        AtomicBoolean startFailed = new AtomicBoolean();
        Path never = dir.resolve("never-ahead.sock");
        CompletableFuture<ByteChannel> abandoned = CONNECTOR.connectAhead(never, TIMEOUT, () -> !startFailed.get());
        startFailed.set(true);
        assertThatThrownBy(() -> CONNECTOR.handshake(abandoned, never, new Recorder()))
                .isInstanceOf(QmpException.class)
                .hasMessageStartingWith("cannot connect to monitor " + never + ": its process is gone");
    }

    @Test
    void theConnectorGivesUpWhenTheProcessIsGone() {
        Path socket = dir.resolve("never.sock");
        assertThatThrownBy(() -> CONNECTOR.connect(socket, TIMEOUT, () -> false, new Recorder()))
                .isInstanceOf(QmpException.class)
                .hasMessageStartingWith("cannot connect to monitor " + socket + ": its process is gone");
        assertThatThrownBy(() -> CONNECTOR.connect(socket, Duration.ofMillis(50), () -> true, new Recorder()))
                .hasMessageStartingWith("cannot connect to monitor " + socket + ": not there within 50 ms");
    }
}
