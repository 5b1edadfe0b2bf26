package io.dpuvirt.rpc.client;

import io.dpuvirt.rpc.remote.AuthType;
import io.dpuvirt.rpc.remote.ConnectFeature;
import io.dpuvirt.rpc.remote.ConnectListAllDomainsArgs;
import io.dpuvirt.rpc.remote.DomainOpenConsoleArgs;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.server.ClientSession;
import io.dpuvirt.rpc.server.ConnectionProcedures;
import io.dpuvirt.rpc.server.KeepalivePolicy;
import io.dpuvirt.rpc.server.ProcedureHandler;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.rpc.server.RpcServer;
import io.dpuvirt.rpc.server.ServerConfig;
import io.dpuvirt.rpc.server.ServerStream;
import io.dpuvirt.rpc.server.StreamEnd;
import io.dpuvirt.rpc.server.StreamListener;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.NonnullDomain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@Timeout(30)
class RpcClientServerTest {
    private static final NonnullDomain GUEST = new NonnullDomain("guest1", UUID.randomUUID(), 1);

    @TempDir
    Path dir;

    private final CountDownLatch releaseSlowCall = new CountDownLatch(1);
    private final StringBuilder consoleTyped = new StringBuilder();
    private final CompletableFuture<StreamEnd> consoleEnd = new CompletableFuture<>();
    private RpcServer server;

    @AfterEach
    void stop() throws IOException {
        releaseSlowCall.countDown();
        if (server != null) {
            server.close();
        }
    }

    /** A driver with a slow call (hostname waits for the test), a console, and set-up. */
    private ProcedureHandler handlerFor(ClientSession session) {
        return ConnectionProcedures.addTo(ProcedureTable.builder())
                .on(RemoteCalls.OPEN, (args, call) -> Empty.INSTANCE)
                .on(RemoteCalls.GET_URI, (args, call) -> new StringValue("test:///default"))
                .on(RemoteCalls.AUTH_POLKIT, (args, call) -> {
                    call.session().markAuthenticated();
                    return new IntValue(1);
                })
                .on(RemoteCalls.GET_HOSTNAME, (args, call) -> {
                    awaitRelease();
                    return new StringValue("slow-host");
                })
                .on(RemoteCalls.OPEN_CONSOLE, (args, call) -> {
                    ServerStream console = call.session().openStream(call, new StreamListener() {
                        @Override
                        public void data(byte[] bytes) {
                            consoleTyped.append(new String(bytes, StandardCharsets.UTF_8));
                        }

                        @Override
                        public void closed(StreamEnd end) {
                            consoleEnd.complete(end);
                        }
                    });
                    Thread.ofVirtual().start(() -> greetAndHangUp(console));
                    return Empty.INSTANCE;
                })
                .build();
    }

    private void awaitRelease() {
        try {
            releaseSlowCall.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void greetAndHangUp(ServerStream console) {
        try {
            console.send("login: ".getBytes(StandardCharsets.UTF_8));
            console.finish();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private RpcClient connect(ServerConfig config) throws IOException {
        server = RpcServer.start(config, this::handlerFor);
        return RpcClient.connect(server.socketPath());
    }

    private RpcClient openedClient() throws Exception {
        RpcClient client = connect(ServerConfig.at(dir.resolve("sock")));
        client.open(Optional.of("test:///default"), 0);
        return client;
    }

    @Test
    void setUpCallAndTeardown() throws Exception {
        try (RpcClient client = openedClient()) {
            assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo("test:///default");
            assertThat(client.supports(ConnectFeature.PROGRAM_KEEPALIVE)).isTrue();
        }
    }

    @Test
    void anIdleClientAnswersTheServersPingsAndKeepsItsConnection() throws Exception {
        KeepalivePolicy quick = new KeepalivePolicy(Duration.ofMillis(100), 1);
        try (RpcClient client = connect(ServerConfig.at(dir.resolve("sock")).withKeepalive(quick))) {
            client.open(Optional.of("test:///default"), 0); // asks about keepalive
            Thread.sleep(1_000); // five times the silence the server allows
            assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo("test:///default");
        }
    }

    @Test
    void unimplementedProcedureIsNoSupportAndTheConnectionGoesOn() throws Exception {
        try (RpcClient client = openedClient()) {
            assertThatThrownBy(() -> client.call(RemoteCalls.LIST_ALL_DOMAINS, new ConnectListAllDomainsArgs(true, 3)))
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.is(ErrorCode.NO_SUPPORT)).isTrue())
                    .hasMessageContaining("this function is not supported by the connection driver: CONNECT_LIST_ALL_DOMAINS");
            assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo("test:///default");
        }
    }

    @Test
    void slowCallBlocksNeitherPongsNorOtherCalls() throws Exception {
        try (RpcClient client = openedClient()) {
            CompletableFuture<String> slow = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.call(RemoteCalls.GET_HOSTNAME, Empty.INSTANCE).value();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(client.ping(Duration.ofSeconds(5))).isTrue();
            assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo("test:///default");
            assertThat(slow).isNotDone();
            releaseSlowCall.countDown();
            assertThat(slow).succeedsWithin(Duration.ofSeconds(10)).isEqualTo("slow-host");
        }
    }

    @Test
    void consoleStreamBothWays() throws Exception {
        try (RpcClient client = openedClient()) {
            ClientStream console = client.openStream(RemoteCalls.OPEN_CONSOLE,
                    new DomainOpenConsoleArgs(GUEST, Optional.empty(), 0));
            assertThat(console.receive()).hasValueSatisfying(bytes ->
                    assertThat(new String(bytes, StandardCharsets.UTF_8)).isEqualTo("login: "));
            assertThat(console.receive()).as("end-of-file").isEmpty();
            console.send("root\r".getBytes(StandardCharsets.UTF_8));
            console.finish();
            assertThat(consoleEnd).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(StreamEnd.FINISHED);
            assertThat(consoleTyped).hasToString("root\r");
        }
    }

    @Test
    void consoleAbortedByTheClient() throws Exception {
        try (RpcClient client = openedClient()) {
            ClientStream console = client.openStream(RemoteCalls.OPEN_CONSOLE,
                    new DomainOpenConsoleArgs(GUEST, Optional.empty(), 0));
            console.abort();
            assertThat(consoleEnd).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(StreamEnd.ABORTED);
        }
    }

    @Test
    void disconnectEndsTheServersStreams() throws Exception {
        RpcClient client = openedClient();
        client.openStream(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(GUEST, Optional.empty(), 0));
        client.close();
        assertThat(consoleEnd).succeedsWithin(Duration.ofSeconds(5)).isEqualTo(StreamEnd.DISCONNECTED);
    }

    @Test
    void onlyAuthProceduresBeforeAuthentication() throws Exception {
        try (RpcClient client = connect(ServerConfig.at(dir.resolve("sock")).withAuth(AuthType.POLKIT))) {
            assertThat(client.call(RemoteCalls.AUTH_LIST, Empty.INSTANCE).types()).containsExactly(AuthType.POLKIT);
            assertThatThrownBy(() -> client.call(RemoteCalls.GET_URI, Empty.INSTANCE))
                    .isInstanceOfSatisfying(RemoteCallException.class, e -> assertThat(e.is(ErrorCode.RPC)).isTrue())
                    .hasMessageContaining("authentication required");
            assertThat(client.call(RemoteCalls.AUTH_POLKIT, Empty.INSTANCE).isTrue()).isTrue();
            assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo("test:///default");
        }
    }

    @Test
    void clientRefusesAuthenticationItCannotDo() throws Exception {
        try (RpcClient client = connect(ServerConfig.at(dir.resolve("sock")).withAuth(AuthType.SASL))) {
            assertThatThrownBy(() -> client.open(Optional.empty(), 0))
                    .isInstanceOf(IOException.class).hasMessageContaining("requires authentication [SASL]");
        }
    }

    @Test
    void callsFailWhenTheServerGoesAway() throws Exception {
        try (RpcClient client = openedClient()) {
            CompletableFuture<String> pending = CompletableFuture.supplyAsync(() -> {
                try {
                    return client.call(RemoteCalls.GET_HOSTNAME, Empty.INSTANCE).value();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(client.ping(Duration.ofSeconds(5))).isTrue(); // the call is on the wire
            server.close();
            assertThat(pending).failsWithin(Duration.ofSeconds(10))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withRootCauseInstanceOf(IOException.class);
        }
    }
}
