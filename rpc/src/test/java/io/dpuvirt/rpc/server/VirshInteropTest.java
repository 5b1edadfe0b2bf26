package io.dpuvirt.rpc.server;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** Debian's own virsh against our server core: the wire layer is right if the real client is happy. */
class VirshInteropTest {
    @TempDir
    Path home;

    private final TestDaemon daemon = new TestDaemon();
    private RpcServer server;
    private Virsh virsh;
    private String uri;

    @BeforeAll
    static void installVirsh() throws Exception {
        Virsh.ensureInstalled();
    }

    @BeforeEach
    void startServer() throws Exception {
        server = RpcServer.start(ServerConfig.at(home.resolve("virtd-sock")), daemon::handlerFor);
        uri = "test+unix:///default?socket=" + server.socketPath();
        virsh = new Virsh(home);
    }

    @AfterEach
    void stopServer() throws Exception {
        server.close();
    }

    @Test
    void uri() throws Exception {
        Virsh.Result result = virsh.run("-c", uri, "uri");
        System.out.println("virsh uri: " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(uri + "\n\n");
        assertThat(daemon.openedUris()).containsExactly("test:///default");
        assertThat(daemon.procedureNames()).containsExactly("CONNECT_SUPPORTS_FEATURE", "CONNECT_OPEN",
                "CONNECT_SUPPORTS_FEATURE", "CONNECT_SUPPORTS_FEATURE", "CONNECT_REGISTER_CLOSE_CALLBACK",
                "CONNECT_UNREGISTER_CLOSE_CALLBACK", "CONNECT_CLOSE");
    }

    @Test
    void version() throws Exception {
        Virsh.Result result = virsh.run("-c", uri, "version", "--daemon");
        System.out.println("virsh version --daemon: " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).contains("Using API: Test 9.0.0", "Running hypervisor: Test 2.0.0",
                "Running against daemon: 9.0.0");
    }

    @Test
    void hostname() throws Exception {
        Virsh.Result result = virsh.run("-c", uri, "hostname");
        System.out.println("virsh hostname: " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(TestDaemon.HOSTNAME + "\n\n");
    }

    @Test
    void keepaliveIsAnsweredWhileACallIsSlow() throws Exception {
        daemon.delayHostname(Duration.ofSeconds(4));
        // virsh pings after 1 s without traffic and gives up after 2 unanswered pings (about 3 s)
        Virsh.Result result = virsh.run("-k", "1", "-K", "2", "-c", uri, "hostname");
        System.out.println("virsh -k 1 -K 2 hostname (4 s call): " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(TestDaemon.HOSTNAME + "\n\n");
    }

    @Test
    void virshAnswersTheServersPingsWhileItWaitsForASlowCall() throws Exception {
        server.close();
        server = RpcServer.start(ServerConfig.at(home.resolve("virtd-sock"))
                .withKeepalive(new KeepalivePolicy(Duration.ofMillis(500), 1)), daemon::handlerFor);
        daemon.delayHostname(Duration.ofSeconds(3));
        // virsh's own first PING would come after 5 s: for 3 s it sends only its PONGs, and a client silent for 1 s
        // would be closed
        Virsh.Result result = virsh.run("-c", uri, "hostname");
        System.out.println("virsh hostname (3 s call, server pinging every 0.5 s): " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout()).isEqualTo(TestDaemon.HOSTNAME + "\n\n");
    }

    @Test
    void consoleStreamsGuestOutputUntilTheGuestEndsIt() throws Exception {
        Virsh.Result result = virsh.runOnTerminal("-c", uri, "console", TestDaemon.GUEST.name());
        System.out.println("virsh console: " + result);
        assertThat(result.exitCode()).as(result.stdout()).isZero();
        assertThat(result.stdout()).contains("Connected to domain 'guest1'", TestDaemon.CONSOLE_GREETING);
        assertThat(daemon.procedureNames()).containsSubsequence("DOMAIN_LOOKUP_BY_NAME", "DOMAIN_GET_STATE",
                "DOMAIN_OPEN_CONSOLE");
        assertThat(daemon.consoleInput().end).succeedsWithin(Duration.ofSeconds(10));
    }

    @Test
    void listAllWithNoDomains() throws Exception {
        Virsh.Result result = virsh.run("-c", uri, "list", "--all");
        System.out.println("virsh list --all: " + result);
        assertThat(result.exitCode()).as(result.stderr()).isZero();
        assertThat(result.stdout().lines().toList()).containsExactly(" Id   Name   State", "--------------------", "");
        assertThat(daemon.procedureNames()).contains("CONNECT_LIST_ALL_DOMAINS");
    }

    @Test
    void unimplementedProcedureIsNotSupportedNotAProtocolError() throws Exception {
        Virsh.Result result = virsh.run("-c", uri, "nodeinfo");
        System.out.println("virsh nodeinfo: " + result);
        assertThat(result.exitCode()).isNotZero();
        assertThat(result.stderr()).contains("this function is not supported by the connection driver: NODE_GET_INFO")
                .doesNotContain("RPC", "protocol");
        assertThat(daemon.procedureNames()).contains("NODE_GET_INFO", "CONNECT_CLOSE");
    }
}
