package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/** udsproxyd across the two-machine test bed, with unmodified clients and servers (socat, python). */
class UdsproxyTest {
    private static final String LIBVIRT_WHITELIST = "[Udsconnect]\nPath=/var/lib/libvirt\n";

    private TestBed bed;
    private ProxyPair proxies;
    private Side host;
    private Side dpu;
    private final List<Background> servers = new ArrayList<>();

    @BeforeEach
    void up(TestInfo test) throws Exception {
        bed = TestBed.up(TestBedConfig.named("uds"));
        host = bed.host();
        dpu = bed.dpu();
        proxies = new ProxyPair(bed, Project.logDirectory("udsproxy-" + test.getTestMethod().orElseThrow().getName()));
        proxies.whitelist(host, LIBVIRT_WHITELIST);
        proxies.whitelist(dpu, LIBVIRT_WHITELIST);
    }

    @AfterEach
    void down() throws Exception {
        servers.forEach(Background::close);
        if (proxies != null) {
            proxies.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    private Background server(Side side, String... arguments) throws IOException {
        Background server = Background.udstool(side, arguments);
        servers.add(server);
        return server;
    }

    private static CommandResult udstool(Side side, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", Project.UDSTOOL.toString()));
        command.addAll(List.of(arguments));
        return side.run(Duration.ofSeconds(120), command.toArray(String[]::new));
    }

    private static boolean socketExists(Side side, String path) throws IOException {
        return side.run("test", "-S", path).succeeded();
    }

    @Test
    void unmodifiedClientsReachAnEchoServerOnTheOtherSide() throws Exception {
        host.shell("mkdir -p /var/lib/libvirt/qemu");
        server(host, "echo-server", "/var/lib/libvirt/qemu/echo.sock");
        proxies.startBoth();
        await("the mirror on the DPU", () -> socketExists(dpu, "/var/lib/libvirt/qemu/echo.sock"));

        CommandResult socat = dpu.run("sh", "-c", "echo hello from the dpu | socat -t 5 - UNIX-CONNECT:/var/lib/libvirt/qemu/echo.sock");
        assertThat(socat.stdout()).isEqualTo("hello from the dpu\n");
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/qemu/echo.sock", "and from python").stdout()).isEqualTo("and from python");
        // the mirror directory did not exist on the DPU: it was made for the mirror
        assertThat(proxies.status(dpu)).contains("link: up", "/var/lib/libvirt/qemu/echo.sock <- peer /var/lib/libvirt/qemu/echo.sock stream");
        assertThat(proxies.status(host)).contains("exported (1):", "/var/lib/libvirt/qemu/echo.sock stream");
    }

    @Test
    void socketsAppearingLaterAreMirroredAndVanishingOnesWithdrawn() throws Exception {
        proxies.startBoth();
        proxies.awaitLinkUp();
        assertThat(socketExists(dpu, "/var/lib/libvirt/late.sock")).isFalse();

        Background late = server(host, "echo-server", "/var/lib/libvirt/late.sock");
        long appeared = System.nanoTime();
        await("the late socket's mirror", () -> socketExists(dpu, "/var/lib/libvirt/late.sock"));
        System.out.printf("late socket mirrored after %d ms%n", (System.nanoTime() - appeared) / 1_000_000);
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/late.sock", "late").stdout()).isEqualTo("late");

        late.close();
        host.run("rm", "-f", "/var/lib/libvirt/late.sock");
        await("the mirror to go away", () -> !socketExists(dpu, "/var/lib/libvirt/late.sock"));
        CommandResult refused = udstool(dpu, "send", "/var/lib/libvirt/late.sock", "gone");
        assertThat(refused.exitStatus()).isNotZero();
        assertThat(refused.stderr()).contains("FileNotFoundError");
    }

    @Test
    void whitelistIsEnforcedOnWholeComponentsAndCanonicalPaths() throws Exception {
        // /run is private to each side of the test bed, so nothing below is shared by the file system itself
        String vm = "[Udsconnect]\nPath=/run/vm/\n";
        proxies.whitelist(host, vm);
        // the DPU would mirror anything under /run: only the HOST's own check keeps the tricks out
        proxies.whitelist(dpu, "[Udsconnect]\nPath=/run\n");
        host.shell("mkdir -p /run/vm /run/vmd /run/secret && ln -s /run/secret /run/vm/link");
        server(host, "echo-server", "/run/vmd/prefix-trick.sock");
        server(host, "echo-server", "/run/vm/link/through-symlink.sock");
        server(host, "echo-server", "/run/vm/../secret/dotdot.sock");
        server(host, "echo-server", "/run/secret/outside.sock");
        server(host, "echo-server", "/run/vm/allowed.sock");
        proxies.startBoth();
        await("the allowed socket's mirror", () -> socketExists(dpu, "/run/vm/allowed.sock"));

        assertThat(proxies.status(host)).contains("exported (1):", "/run/vm/allowed.sock");
        for (String path : List.of("/run/vmd/prefix-trick.sock", "/run/vm/link/through-symlink.sock", "/run/vm/../secret/dotdot.sock",
                "/run/secret/dotdot.sock", "/run/secret/outside.sock")) {
            assertThat(socketExists(dpu, path)).as(path).isFalse();
        }
        assertThat(dpu.run("ls", "/run/vm").stdout()).isEqualTo("allowed.sock\n");
    }

    @Test
    void qtcfgChangesTheWhitelistOfARunningDaemon() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/a.sock");
        host.shell("mkdir -p /run/extra");
        server(host, "echo-server", "/run/extra/b.sock");
        proxies.startBoth();
        await("a.sock mirrored", () -> socketExists(dpu, "/var/lib/libvirt/a.sock"));
        assertThat(socketExists(dpu, "/run/extra/b.sock")).isFalse();

        // both sides must allow a path: the HOST to offer it, the DPU to mirror it
        for (Side side : List.of(host, dpu)) {
            CommandResult added = side.run(Project.bin("qtcfg"), "-w", "udsconnect", "-x", "/run/extra/");
            assertThat(added.exitStatus()).as(added.stderr()).isZero();
            assertThat(added.stdout()).isEqualTo("added /run/extra to [Udsconnect] in /etc/qtfs/whitelist\n");
        }
        await("b.sock mirrored after qtcfg -x", () -> socketExists(dpu, "/run/extra/b.sock"));
        assertThat(dpu.run(Project.bin("qtcfg"), "-z").stdout())
                .isEqualTo("[Udsconnect] in /etc/qtfs/whitelist:\n0: /var/lib/libvirt\n1: /run/extra\n");

        assertThat(dpu.run(Project.bin("qtcfg"), "-y", "0").exitStatus()).isZero();
        await("a.sock withdrawn after qtcfg -y 0", () -> !socketExists(dpu, "/var/lib/libvirt/a.sock"));
        assertThat(socketExists(dpu, "/run/extra/b.sock")).isTrue();
        assertThat(dpu.run("cat", "/etc/qtfs/whitelist").stdout()).isEqualTo("[Udsconnect]\nPath=/run/extra;\n");

        CommandResult wrong = dpu.run(Project.bin("qtcfg"), "-y", "7");
        assertThat(wrong.exitStatus()).isEqualTo(2);
        assertThat(wrong.stderr()).contains("no entry 7 (there are 1)");
    }

    @Test
    void aPeerWithAnotherKeyIsRefusedAndLearnsNothing() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/secret.sock");
        proxies.start(host);
        Path otherKey = ProxyPair.writeKey(Files.createTempFile("other", ".key"));
        try {
            proxies.startRaw(dpu, List.of("--key", otherKey.toString()));
            await("the refusal in the HOST's log", () -> proxies.log(host).contains("peer failed the key challenge"));
            assertThat(proxies.log(host)).contains("refused connection from 169.254.77.2:");
            await("the refusal in the DPU's log", () -> proxies.log(dpu).contains(
                    "cannot reach peer 169.254.77.1:12121: peer closed the connection during authentication"));
            assertThat(proxies.status(dpu)).contains("link: down");
            assertThat(socketExists(dpu, "/var/lib/libvirt/secret.sock")).isFalse();
        } finally {
            Files.delete(otherKey);
        }
    }

    @Test
    void keylessAndKeyedPeersNeverTalkAndKeyFilesMustBePrivate() throws Exception {
        proxies.start(host);
        proxies.startRaw(dpu, List.of("--insecure-no-auth"));
        await("the keyless DPU's refusal", () -> proxies.log(dpu).contains("peer requires a key but this side runs without one"));
        assertThat(proxies.log(dpu)).contains("running WITHOUT authentication (--insecure-no-auth)");
        await("the keyed HOST's refusal", () -> proxies.log(host).contains(
                "cannot reach peer 169.254.77.2:12121: peer runs without authentication (--insecure-no-auth) but this side has a key: refused"));
        assertThat(proxies.status(host)).contains("link: down");

        Path readable = ProxyPair.writeKey(Files.createTempFile("readable", ".key"));
        try {
            Files.setPosixFilePermissions(readable, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            CommandResult refused = dpu.run(Duration.ofSeconds(20), Project.bin("udsproxyd"), "--key", readable.toString(),
                    "1", dpu.address(), "12122", host.address(), "12122");
            assertThat(refused.exitStatus()).isEqualTo(1);
            assertThat(refused.stderr()).contains("key file " + readable + " is accessible by group or others (mode rw-r--r--): chmod 600");
        } finally {
            Files.delete(readable);
        }
        CommandResult noKey = dpu.run(Duration.ofSeconds(20), Project.bin("udsproxyd"), "1", dpu.address(), "12122", host.address(), "12122");
        assertThat(noKey.exitStatus()).isEqualTo(2);
        assertThat(noKey.stderr()).contains("no link key: /etc/qtfs/link.key does not exist");
    }

    @Test
    void halfCloseAndCloseAcrossTheLink() throws Exception {
        server(host, "count-server", "/var/lib/libvirt/count.sock");
        server(host, "echo-server", "/var/lib/libvirt/echo.sock");
        proxies.startBoth();
        await("mirrors", () -> socketExists(dpu, "/var/lib/libvirt/count.sock") && socketExists(dpu, "/var/lib/libvirt/echo.sock"));
        // the client half-closes; the server sees EOF, still answers, then closes; the client sees that EOF
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/count.sock", "x".repeat(100_000)).stdout()).isEqualTo("got 100000 bytes");

        // a server that closes while the client waits: the client sees end of stream
        Background holder = server(dpu, "echo-server", "/run/unused.sock"); // keeps python warm on the DPU
        holder.close();
        host.shell("cat > /tmp/uds-closer.py <<'END'\n"
                + "import os, socket\n"
                + "p='/var/lib/libvirt/closer.sock'\n"
                + "s=socket.socket(socket.AF_UNIX); s.bind(p); s.listen(); print('ready', flush=True)\n"
                + "c,_=s.accept(); c.close()\n"
                + "END");
        servers.add(Background.start(host, List.of("python3", "/tmp/uds-closer.py")));
        await("closer mirrored", () -> socketExists(dpu, "/var/lib/libvirt/closer.sock"));
        assertThat(udstool(dpu, "hold", "/var/lib/libvirt/closer.sock").stdout()).isEqualTo("eof\n");
    }

    @Test
    void aThousandConcurrentStreamsKeepTheirBytes() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/echo.sock");
        proxies.startBoth();
        await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/echo.sock"));
        CommandResult result = udstool(dpu, "concurrent", "/var/lib/libvirt/echo.sock", "1000", "65536");
        assertThat(result.stdout()).as(result.stderr()).startsWith("ok 1000 failed 0");
        await("all streams finished", () -> proxies.status(dpu).contains("streams: 0 active, 1000 total"));
    }

    @Test
    void bulkBothWaysAtOnceDoesNotStall() throws Exception {
        // each end sends 64 MiB while it reads, far more than the sockets on the way can hold: the relays must carry
        // both directions at once (a relay on one thread hands a direction to a second one when a write would wait)
        String size = Integer.toString(64 << 20);
        server(host, "flood-server", "/var/lib/libvirt/flood.sock", size);
        proxies.startBoth();
        await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/flood.sock"));
        CommandResult result = udstool(dpu, "flood", "/var/lib/libvirt/flood.sock", size);
        assertThat(result.stdout()).as(result.stderr()).isEqualTo("sent " + size + " received " + size + "\n");
    }

    @Test
    void seqpacketKeepsMessageBoundaries() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/packets.sock", "seqpacket");
        proxies.startBoth();
        await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/packets.sock"));
        assertThat(proxies.status(dpu)).contains("/var/lib/libvirt/packets.sock <- peer /var/lib/libvirt/packets.sock seqpacket");
        // a message longer than a relay's first buffer (16 KiB) is carried whole, not cut or refused
        String large = "x".repeat(40_000);
        assertThat(udstool(dpu, "messages", "/var/lib/libvirt/packets.sock", "one", "two two", large, "three").stdout())
                .isEqualTo("one\ntwo two\n" + large + "\nthree\n");
    }

    @Test
    void passesRegularFilesWhosePathExistsOnBothSidesAndRefusesOthers() throws Exception {
        Path shared = Files.createTempDirectory("dpuvirt-fd");
        try {
            Files.writeString(shared.resolve("data.txt"), "0123456789");
            proxies.whitelist(host, LIBVIRT_WHITELIST + "[Open]\nPath=" + shared + "\n");
            server(host, "fd-server", "/var/lib/libvirt/fd.sock");
            proxies.startBoth();
            await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/fd.sock"));
            // /tmp is shared by both sides of the test bed: the file is re-opened by path on the HOST, at the same offset
            assertThat(udstool(dpu, "send-fd", "/var/lib/libvirt/fd.sock", shared.resolve("data.txt").toString(), "4").stdout())
                    .isEqualTo("read: 456789");
            assertThat(udstool(dpu, "send-pipe-fd", "/var/lib/libvirt/fd.sock").stdout()).isEmpty();
            assertThat(proxies.log(dpu)).contains("refused passing a descriptor: descriptor is pipe:[");
            // a file outside [Open] on the receiving side is refused there
            Files.writeString(Path.of("/tmp/dpuvirt-not-open.txt"), "secret");
            assertThat(udstool(dpu, "send-fd", "/var/lib/libvirt/fd.sock", "/tmp/dpuvirt-not-open.txt", "0").stdout()).isEmpty();
            assertThat(proxies.log(host)).contains("refused a descriptor from the peer: /tmp/dpuvirt-not-open.txt is not under [Open]");
        } finally {
            Files.deleteIfExists(Path.of("/tmp/dpuvirt-not-open.txt"));
            Files.deleteIfExists(shared.resolve("data.txt"));
            Files.delete(shared);
        }
    }

    @Test
    void aLocalSocketIsNeverHiddenOrRemoved() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/both.sock");
        Background dpuServer = server(dpu, "count-server", "/var/lib/libvirt/both.sock");
        proxies.startBoth();
        proxies.awaitLinkUp();
        await("the DPU's decision", () -> proxies.status(dpu).contains("/var/lib/libvirt/both.sock: a local file is at this path"));
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/both.sock", "abc").stdout()).isEqualTo("got 3 bytes");

        // a mirror yields when a local server takes its path over
        server(host, "echo-server", "/var/lib/libvirt/taken.sock");
        await("taken.sock mirrored", () -> socketExists(dpu, "/var/lib/libvirt/taken.sock"));
        server(dpu, "count-server", "/var/lib/libvirt/taken.sock"); // unlinks the mirror's file and binds its own
        await("the mirror to yield", () -> proxies.status(dpu).contains("/var/lib/libvirt/taken.sock: a local file is at this path"));
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/taken.sock", "abcd").stdout()).isEqualTo("got 4 bytes");
        dpuServer.close();
        // stopping cleanly removes no local server's socket
        assertThat(proxies.stop(dpu)).isZero();
        assertThat(socketExists(dpu, "/var/lib/libvirt/taken.sock")).isTrue();
    }

    @Test
    void explicitMappingsReachAServerAtTheSamePathOnTheOtherSide() throws Exception {
        String rexec = "[Udsconnect]\nPath=/var/run/rexec\n";
        proxies.whitelist(host, rexec);
        proxies.whitelist(dpu, rexec);
        host.shell("mkdir -p /var/run/rexec");
        dpu.shell("mkdir -p /var/run/rexec");
        server(host, "echo-server", "/var/run/rexec/rexec_uds.sock");
        server(dpu, "count-server", "/var/run/rexec/rexec_uds.sock");
        proxies.start(host);
        proxies.start(dpu, "--map", "/var/run/rexec/host/rexec_uds.sock=/var/run/rexec/rexec_uds.sock");
        await("the mapping", () -> socketExists(dpu, "/var/run/rexec/host/rexec_uds.sock"));
        assertThat(udstool(dpu, "send", "/var/run/rexec/host/rexec_uds.sock", "to the host").stdout()).isEqualTo("to the host");
        assertThat(udstool(dpu, "send", "/var/run/rexec/rexec_uds.sock", "local").stdout()).isEqualTo("got 5 bytes");
        assertThat(proxies.status(dpu)).contains("/var/run/rexec/host/rexec_uds.sock -> /var/run/rexec/rexec_uds.sock (active)");
    }

    @Test
    void theLinkComesBackAfterRestartsAndKill9() throws Exception {
        server(host, "echo-server", "/var/lib/libvirt/echo.sock");
        proxies.startBoth();
        await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/echo.sock"));

        proxies.kill9(host);
        await("the mirror to go with the HOST's daemon", () -> !socketExists(dpu, "/var/lib/libvirt/echo.sock"));
        await("the DPU to see the link down", () -> proxies.status(dpu).contains("link: down"));
        proxies.start(host); // binds its port at once although connections of its previous life linger
        await("the mirror to come back", () -> socketExists(dpu, "/var/lib/libvirt/echo.sock"));
        assertThat(udstool(dpu, "send", "/var/lib/libvirt/echo.sock", "after host restart").stdout()).isEqualTo("after host restart");

        proxies.kill9(dpu);
        // the killed daemon's mirror file stays behind until the next start, which removes it and mirrors afresh
        assertThat(socketExists(dpu, "/var/lib/libvirt/echo.sock")).isTrue();
        proxies.start(dpu);
        proxies.awaitLinkUp();
        await("a working mirror again", () -> udstool(dpu, "send", "/var/lib/libvirt/echo.sock", "after dpu kill -9").stdout().equals("after dpu kill -9"));
        assertThat(proxies.log(dpu)).contains("removed 1 mirror socket(s) left by a previous instance");

        assertThat(proxies.stop(host)).isZero();
        await("the mirror to go with a clean stop", () -> !socketExists(dpu, "/var/lib/libvirt/echo.sock"));
        proxies.start(host);
        await("and to come back", () -> socketExists(dpu, "/var/lib/libvirt/echo.sock"));
    }

    @Test
    void aCleanStopLeavesNoFilesBehind() throws Exception {
        host.shell("mkdir -p /var/lib/libvirt/qemu/domain-1");
        server(host, "echo-server", "/var/lib/libvirt/qemu/domain-1/monitor.sock");
        proxies.startBoth();
        await("mirror", () -> socketExists(dpu, "/var/lib/libvirt/qemu/domain-1/monitor.sock"));
        assertThat(proxies.stop(dpu)).isZero();
        assertThat(proxies.stop(host)).isZero();
        assertThat(dpu.run("find", "/var/lib/libvirt", "/run/qtfs", "-mindepth", "1").stdout()).isEmpty();
        assertThat(host.run("find", "/run/qtfs", "-mindepth", "1").stdout()).isEmpty();
    }

    @Test
    void theVsockTransportBindsAndSaysWhyThePeerIsUnreachable() throws Exception {
        // no vsock loopback here: a listener can be bound, and dialing the hypervisor (CID 2) fails cleanly
        Path run = Files.createTempDirectory("dpuvirt-vsock");
        Path whitelist = run.resolve("whitelist");
        Files.writeString(whitelist, LIBVIRT_WHITELIST);
        Files.setPosixFilePermissions(whitelist, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Process daemon = new ProcessBuilder(Project.bin("udsproxyd"), "--key", proxies.key().toString(), "--whitelist",
                whitelist.toString(), "--run-dir", run.resolve("run").toString(), "--vsock", "1", "4294967295", "12345", "2", "12345")
                .redirectErrorStream(true).redirectOutput(run.resolve("log").toFile()).start();
        try {
            await("the vsock daemon's status", () -> statusOf(run).contains("link: down (connect(vsock:2:12345): "));
            assertThat(statusOf(run)).contains("(authenticated, vsock vsock:4294967295:12345 -> vsock:2:12345)");
            daemon.destroy();
            assertThat(daemon.waitFor()).isZero();
            try (var left = Files.list(run.resolve("run"))) {
                assertThat(left).isEmpty();
            }
        } finally {
            daemon.destroyForcibly();
            try (var files = Files.walk(run)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static String statusOf(Path run) throws IOException {
        CommandResult result = io.dpuvirt.common.exec.Commands.run(Project.bin("udsproxyd"), "--status", "--run-dir", run.resolve("run").toString());
        return result.stdout() + result.stderr();
    }
}
