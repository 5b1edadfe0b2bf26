package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.DomainOpenConsoleArgs;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.Procedure;
import io.dpuvirt.rpc.wire.Keepalive;
import io.dpuvirt.rpc.wire.MessageStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The server's own PINGs, as libvirtd sends them: only to a client that asked about keepalive, after an interval of
 * silence, and the connection closed, with what it held, once {@code count} of them went unanswered. Short intervals;
 * the bounds on time are for liveness only (a timer may fire late, never early).
 */
@Timeout(60)
class ServerKeepaliveTest {
    private static final Duration INTERVAL = Duration.ofMillis(100);
    private static final int COUNT = 3;
    private static final KeepalivePolicy POLICY = new KeepalivePolicy(INTERVAL, COUNT);
    /** libvirt's interval * (count + 1): how long a client may be silent before it is let go. */
    private static final Duration SILENCE_ALLOWED = INTERVAL.multipliedBy(COUNT + 1);
    /** Far beyond every duration here, for a machine busy with other work. */
    private static final Duration GENEROUS = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final TestDaemon daemon = new TestDaemon();
    private final List<AutoCloseable> opened = new ArrayList<>();
    private RpcServer server;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : opened.reversed()) {
            closeable.close();
        }
    }

    private Path serve(KeepalivePolicy policy) throws Exception {
        server = RpcServer.start(ServerConfig.at(dir.resolve("sock")).withKeepalive(policy), daemon::handlerFor);
        opened.add(server);
        return server.socketPath();
    }

    private <C extends AutoCloseable> C opened(C client) {
        opened.add(client);
        return client;
    }

    @Test
    void aClientThatAskedAndAnswersIsPingedAndStaysConnectedLongAfterTheSilenceAllowed() throws Exception {
        FrameClient client = opened(FrameClient.answeringPings(serve(POLICY)));
        client.askAboutKeepalive();
        // more PINGs than a silent client gets before it is closed: only its PONGs kept it
        awaitPings(client, COUNT + 3);
        assertThat(client.closedByServer()).isNotDone();
        assertThat(client.call(Procedure.AUTH_LIST, Empty.INSTANCE).header().status()).isEqualTo(MessageStatus.OK);
    }

    @Test
    void aClientThatAskedAndFallsSilentIsClosedAfterCountUnansweredPingsAndItsConsoleIsLetGo() throws Exception {
        FrameClient client = opened(FrameClient.ignoringPings(serve(POLICY)));
        long beforeItsLastMessage = System.nanoTime();
        client.askAboutKeepalive();
        client.call(Procedure.DOMAIN_OPEN_CONSOLE, new DomainOpenConsoleArgs(TestDaemon.GUEST, Optional.empty(), 0));

        assertThat(client.closedByServer()).succeedsWithin(GENEROUS);
        assertThat(Duration.ofNanos(System.nanoTime() - beforeItsLastMessage)).as("not before interval * (count + 1)")
                .isGreaterThanOrEqualTo(SILENCE_ALLOWED);
        assertThat(client.pingsReceived()).isEqualTo(COUNT);
        assertThat(daemon.consoleInput().end).as("as when a client disconnects")
                .succeedsWithin(GENEROUS).isEqualTo(StreamEnd.DISCONNECTED);
    }

    @Test
    void aCountOfZeroClosesAfterOneSilentIntervalWithoutPinging() throws Exception {
        FrameClient client = opened(FrameClient.ignoringPings(serve(new KeepalivePolicy(INTERVAL, 0))));
        long beforeItsLastMessage = System.nanoTime();
        client.askAboutKeepalive();

        assertThat(client.closedByServer()).succeedsWithin(GENEROUS);
        assertThat(Duration.ofNanos(System.nanoTime() - beforeItsLastMessage)).isGreaterThanOrEqualTo(INTERVAL);
        assertThat(client.pingsReceived()).isZero();
    }

    @Test
    void anyMessageFromTheClientShowsItIsAliveNotOnlyAPong() throws Exception {
        FrameClient client = opened(FrameClient.ignoringPings(serve(POLICY)));
        client.askAboutKeepalive();
        for (int i = 0; i < 3 * 2 * (COUNT + 1); i++) { // three times the silence allowed, calling twice an interval
            Thread.sleep(INTERVAL.dividedBy(2));
            client.call(Procedure.AUTH_LIST, Empty.INSTANCE);
        }
        assertThat(client.closedByServer()).isNotDone();
    }

    @Test
    void aClientThatNeverAskedIsNeverPinged() throws Exception {
        FrameClient client = opened(FrameClient.ignoringPings(serve(POLICY)));
        client.call(Procedure.AUTH_LIST, Empty.INSTANCE);
        Thread.sleep(SILENCE_ALLOWED.multipliedBy(3));
        assertThat(client.pingsReceived()).isZero();
        assertThat(client.closedByServer()).isNotDone();
        assertThat(client.call(Procedure.AUTH_LIST, Empty.INSTANCE).header().status()).isEqualTo(MessageStatus.OK);
    }

    @Test
    void anIntervalOfMinusOneDisablesThePingsButTheClientsOwnAreAnswered() throws Exception {
        FrameClient client = opened(FrameClient.ignoringPings(serve(new KeepalivePolicy(Duration.ofSeconds(-1), COUNT))));
        client.askAboutKeepalive();
        Thread.sleep(SILENCE_ALLOWED.multipliedBy(3));
        assertThat(client.pingsReceived()).isZero();
        assertThat(client.closedByServer()).isNotDone();
        assertThat(client.ping()).isEqualTo(Keepalive.pong());
    }

    @Test
    void eachClientIsJudgedOnItsOwn() throws Exception {
        Path socket = serve(POLICY);
        FrameClient silent = opened(FrameClient.ignoringPings(socket));
        FrameClient answering = opened(FrameClient.answeringPings(socket));
        silent.askAboutKeepalive();
        answering.askAboutKeepalive();
        assertThat(silent.closedByServer()).succeedsWithin(GENEROUS);
        awaitPings(answering, COUNT + 3);
        assertThat(answering.closedByServer()).isNotDone();
    }

    /** Waits (generously) until {@code client} got {@code pings} PINGs, and fails if it did not. */
    private static void awaitPings(FrameClient client, int pings) throws InterruptedException {
        long deadline = System.nanoTime() + GENEROUS.toNanos();
        while (client.pingsReceived() < pings && System.nanoTime() - deadline < 0) {
            Thread.sleep(INTERVAL.toMillis());
        }
        assertThat(client.pingsReceived()).as("PINGs within " + GENEROUS).isGreaterThanOrEqualTo(pings);
    }
}
