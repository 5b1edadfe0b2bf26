package io.dpuvirt.systest;

import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seed 000 end to end on the test bed: virtd on the DPU (guests remote), udsproxyd on both sides, rexec_server on
 * the HOST, real TCG guests whose kernel and initramfs exist only in the HOST's /home/VMs. Debian's virsh and
 * bin/virsh run on the DPU. Then the failure cases: virtd killed -9 (also during a start), the link cut for 30 s (also
 * during a start), the HOST's services restarted; and 10 guests started at once. Every test kills its guests by pid at its end, passed or failed.
 */
class OffloadTest {
    private static final String UDS_WHITELIST = "[Udsconnect]\nPath=/var/lib/dpuvirt;/var/run/rexec\n";
    private static final Path VIRTD_SOCKET = Path.of("/run/virtd/libvirt-sock");
    private static final String URI = "qemu+unix:///system?socket=" + VIRTD_SOCKET;
    private static final String NAMES = "offl-";
    private static final Path IMAGES = Path.of("/home/VMs");
    private static final Path QEMU = Path.of("/usr/bin/qemu-system-x86_64");
    private static final Path CONSOLE = Project.HOME.resolve("libexec/console-until");

    @TempDir
    Path dir;

    private TestBed bed;
    private Side host;
    private Side dpu;
    private Path logs;
    private ProxyPair proxies;
    private RexecServers servers;
    private VirshRunner debian;
    private VirshRunner java;
    private final List<VirtdProcess> daemons = new ArrayList<>();

    @BeforeEach
    void up(TestInfo test) throws Exception {
        logs = Project.logDirectory("offload-" + test.getTestMethod().orElseThrow().getName());
        Path guest = GuestImage.directory();
        bed = TestBed.up(TestBedConfig.named("off"));
        host = bed.host();
        dpu = bed.dpu();
        proxies = new ProxyPair(bed, logs);
        servers = new RexecServers(logs);
        proxies.whitelist(host, UDS_WHITELIST);
        proxies.whitelist(dpu, UDS_WHITELIST);
        RexecServers.whitelist(host, QEMU.toRealPath().toString());
        host.shell("cp " + guest.resolve("vmlinuz") + " " + guest.resolve("initramfs.gz") + " " + IMAGES + "/");
        startHostServer();
        proxies.startBoth();
        await("the HOST's rexec socket mirrored on the DPU", () -> dpu.run("test", "-S", RexecServers.SOCKET).succeeded());
        Path home = Files.createDirectories(dir.resolve("home"));
        debian = VirshRunner.debian(home).on(dpu);
        java = VirshRunner.java(home).on(dpu);
    }

    private void startHostServer() throws Exception {
        servers.start(host, "--state-dir", "/var/lib/dpuvirt", "--state-dir", "/var/log/dpuvirt", "--output-dir", "/var/log/dpuvirt");
    }

    @AfterEach
    void down() throws Exception {
        daemons.forEach(VirtdProcess::close);
        int killed = GuestProcesses.killMatching("guest=" + NAMES);
        if (killed > 0 && logs != null) {
            Files.writeString(logs.resolve("cleanup.txt"), killed + " guest processes killed at the end\n");
        }
        if (servers != null) {
            servers.close();
        }
        if (proxies != null) {
            proxies.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    /** virtd as `dpuvirt offload up` configures it: dialing the HOST's udsproxyd itself, with the link's key. */
    private VirtdProcess virtdOnTheDpu() throws Exception {
        return virtdOnTheDpuRouted("--host-udsproxyd", host.address() + ":" + ProxyPair.PORT, "--link-key", proxies.key().toString());
    }

    /** virtd on the DPU with {@code route}: none for udsproxyd's mirrors on the DPU. */
    private VirtdProcess virtdOnTheDpuRouted(String... route) throws Exception {
        List<String> options = new ArrayList<>(List.of("--guests", "remote", "--log-level", "debug"));
        options.addAll(List.of(route));
        VirtdProcess virtd = VirtdProcess.startOn(dpu, VIRTD_SOCKET, logs.resolve("virtd-" + (daemons.size() + 1) + ".log"),
                options.toArray(String[]::new));
        daemons.add(virtd);
        return virtd;
    }

    private String define(VirshRunner virsh, String name, String cputune) throws Exception {
        Path xml = Files.writeString(dir.resolve(name + ".xml"), GuestImage.domain(name, 128, 1, cputune, "", IMAGES));
        ok(virsh.run("-c", URI, "define", xml.toString()));
        return name;
    }

    private static VirshRunner.Result ok(VirshRunner.Result result) {
        assertThat(result.status()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    /** The hypervisor process of domain {@code name}: it must run in the HOST's network namespace. */
    private long qemuOnTheHost(String name) throws Exception {
        List<Long> pids = GuestProcesses.matching("guest=" + name + ",");
        assertThat(pids).as("the qemu process of " + name).hasSize(1);
        long pid = pids.getFirst();
        assertThat(Files.readSymbolicLink(Path.of("/proc", Long.toString(pid), "ns", "net")).toString())
                .as("the network namespace of " + name + "'s qemu")
                .isEqualTo(host.run("readlink", "/proc/self/ns/net").stdout().strip());
        return pid;
    }

    /** Whether {@code pid} runs: a zombie has ended (a detached program whose server went is reaped by init, later). */
    private static boolean alive(long pid) {
        return ProcessStat.read((int) pid).filter(stat -> !stat.ended()).isPresent();
    }

    /** Polls {@code domstate --reason} (up to 90 s: a TCG guest on a busy machine is slow) until it reads {@code expected}. */
    private static void awaitState(VirshRunner virsh, String domain, String expected) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline) {
            state = virsh.run("-c", URI, "domstate", domain, "--reason").stdout().strip();
            if (state.equals(expected)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("domain " + domain + " is '" + state + "', not '" + expected + "'");
    }

    /** The console on the DPU until the guest's first line; the paused guest is resumed once the console is attached. */
    private String consoleUntilFirstLine(VirshRunner virsh, String domain) throws Exception {
        String resume = virsh.command("-c", URI, "resume", domain).stream().map(OffloadTest::quote)
                .collect(Collectors.joining(" ")) + " > /dev/null";
        List<String> command = new ArrayList<>(List.of("python3", CONSOLE.toString(), "--timeout", "120", "--when",
                "Escape character", "--run", resume, "--expect", GuestImage.FIRST_LINE, "--"));
        command.addAll(virsh.command("-c", URI, "console", domain));
        Process console = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(console.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(logs.resolve(domain + "-console.txt"), output);
        assertThat(console.waitFor()).as(virsh.name() + " console: " + output).isZero();
        return output;
    }

    private static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    @Test
    void debianAndJavaVirshOnTheDpuRunGuestsOnTheHost() throws Exception {
        virtdOnTheDpu();
        assertThat(dpu.run("test", "-e", IMAGES.resolve("vmlinuz").toString()).succeeded())
                .as("the guest's kernel is on the HOST only").isFalse();
        for (VirshRunner virsh : List.of(debian, java)) {
            String name = define(virsh, NAMES + (virsh == debian ? "debian" : "java"),
                    "<cputune><vcpupin vcpu='0' cpuset='0'/></cputune>");
            assertThat(ok(virsh.run("-c", URI, "start", "--paused", name)).stdout()).isEqualTo("Domain '" + name
                    + "' started\n\n");
            long pid = qemuOnTheHost(name);
            assertThat(consoleUntilFirstLine(virsh, name)).contains("Connected to domain '" + name + "'",
                    GuestImage.FIRST_LINE);
            assertThat(GuestProcesses.vcpuAffinities(pid)).containsExactly("CPU 0/TCG 0");
            assertThat(virsh.run("-c", URI, "list").stdout()).containsPattern(" \\d+ +" + name + " +running");
            assertThat(virsh.run("-c", URI, "dominfo", name).stdout()).contains("State:          running",
                    "Max memory:     131072 KiB").containsPattern("CPU time: +\\d+\\.\\ds");
            assertThat(ok(virsh.run("-c", URI, "suspend", name)).stdout()).isEqualTo("Domain '" + name + "' suspended\n\n");
            assertThat(virsh.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("paused (user)\n\n");
            assertThat(ok(virsh.run("-c", URI, "resume", name)).stdout()).isEqualTo("Domain '" + name + "' resumed\n\n");
            assertThat(ok(virsh.run("-c", URI, "shutdown", name)).stdout()).isEqualTo("Domain '" + name
                    + "' is being shutdown\n\n");
            awaitState(virsh, name, "shut off (shutdown)");
            assertThat(alive(pid)).isFalse();
            assertThat(ok(virsh.run("-c", URI, "undefine", name)).stdout()).isEqualTo("Domain '" + name
                    + "' has been undefined\n\n");
        }
        assertThat(host.run("ls", "-A", "/var/lib/dpuvirt/qemu").stdout()).as("the guests' run directories").isEmpty();
        assertThat(proxies.status(dpu)).as("virtd went past the DPU's udsproxyd").contains("streams: 0 active, 0 total");
    }

    @Test
    void withoutTheLinksKeyVirtdGoesThroughTheDpusMirrors() throws Exception {
        virtdOnTheDpuRouted(); // rexec_server and the guests' sockets through udsproxyd's mirrors on the DPU
        String name = define(debian, NAMES + "mirrored", "");
        ok(debian.run("-c", URI, "start", "--paused", name));
        long pid = qemuOnTheHost(name);
        assertThat(consoleUntilFirstLine(debian, name)).contains(GuestImage.FIRST_LINE);
        ok(debian.run("-c", URI, "suspend", name));
        assertThat(debian.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("paused (user)\n\n");
        ok(debian.run("-c", URI, "resume", name));
        ok(debian.run("-c", URI, "destroy", name));
        assertThat(alive(pid)).isFalse();
        assertThat(proxies.status(dpu)).as("virtd's connections through the mirrors").doesNotContain("streams: 0 active, 0 total");
    }

    @Test
    void aGuestOutlivesVirtdKilledWithSignal9AndANewVirtdManagesItAgain() throws Exception {
        VirtdProcess virtd = virtdOnTheDpu();
        String name = define(debian, NAMES + "kill9", "");
        ok(debian.run("-c", URI, "start", name));
        long pid = qemuOnTheHost(name);
        String id = debian.run("-c", URI, "domid", name).stdout().strip();

        virtd.kill9();
        assertThat(alive(pid)).isTrue();
        virtd.launch();

        assertThat(debian.run("-c", URI, "domid", name).stdout().strip()).isEqualTo(id);
        assertThat(debian.run("-c", URI, "domstate", name).stdout()).isEqualTo("running\n\n");
        ok(debian.run("-c", URI, "suspend", name));
        assertThat(debian.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("paused (user)\n\n");
        ok(debian.run("-c", URI, "resume", name));
        ok(debian.run("-c", URI, "destroy", name));
        assertThat(alive(pid)).isFalse();
        assertThat(debian.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("shut off (destroyed)\n\n");
    }

    @Test
    void aLinkCutFor30SecondsLeavesTheGuestRunningAndOperationsFailClearlyUntilItIsBack() throws Exception {
        virtdOnTheDpu();
        String name = define(debian, NAMES + "cut", "");
        ok(debian.run("-c", URI, "start", name));
        long pid = qemuOnTheHost(name);
        bed.cutLink(Side.Role.DPU);
        long cutAt = System.nanoTime();
        try {
            VirshRunner.Result during = debian.run("-c", URI, "suspend", name);
            assertThat(during.status()).as("suspend during the cut").isNotZero();
            assertThat(during.stderr()).contains("suspend of qemu: domain '" + name + "' failed");
            assertThat(debian.run("-c", URI, "domstate", name).stdout()).as("the daemon itself answers")
                    .isEqualTo("running\n\n");
            long elapsed = (System.nanoTime() - cutAt) / 1_000_000;
            Thread.sleep(Math.max(0, 30_000 - elapsed));
            assertThat(alive(pid)).isTrue();
        } finally {
            bed.restoreLink(Side.Role.DPU);
        }
        awaitSucceeds(() -> debian.run("-c", URI, "suspend", name));
        assertThat(debian.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("paused (user)\n\n");
        ok(debian.run("-c", URI, "resume", name));
        ok(debian.run("-c", URI, "destroy", name));
        assertThat(alive(pid)).isFalse();
    }

    /**
     * A domain whose emulator, a wrapper on the HOST, holds the guest's first start until {@link HeldStart#release}:
     * rexec_server has sent STARTED by then, and virtd cannot have confirmed the start (monitor, cont, CONFIRM).
     */
    private HeldStart defineHeld(String name) throws Exception {
        Path held = dir.resolve("held"), released = dir.resolve("released"), pidFile = dir.resolve("pid");
        Path emulator = dir.resolve("emulator-held-once");
        Files.writeString(emulator, """
                #!/bin/sh
                case "$*" in *guest=%s,*) if mkdir %s 2>/dev/null; then
                    echo $$ > %s; while [ ! -e %s ]; do sleep 0.05; done; fi;; esac
                exec %s "$@"
                """.formatted(name, held, pidFile, released, QEMU.toRealPath()));
        Files.setPosixFilePermissions(emulator, PosixFilePermissions.fromString("rwxr-xr-x"));
        RexecServers.whitelist(host, QEMU.toRealPath().toString(), emulator.toString());
        Path xml = Files.writeString(dir.resolve(name + ".xml"), GuestImage.domain(name, 128, 1, "", "", IMAGES)
                .replace("<devices>", "<devices>\n    <emulator>" + emulator + "</emulator>"));
        ok(debian.run("-c", URI, "define", xml.toString()));
        return new HeldStart(name, emulator, pidFile, released);
    }

    private record HeldStart(String name, Path emulator, Path pidFile, Path released) {
        /** The pid of the held start (the wrapper's, which becomes qemu's), once it is held on the HOST. */
        long awaitHeld() throws Exception {
            await("the guest's start held on the HOST", () -> Files.exists(pidFile) && Files.readString(pidFile).endsWith("\n"));
            return Long.parseLong(Files.readString(pidFile).strip());
        }

        void release() throws IOException {
            Files.createFile(released);
        }
    }

    @Test
    void aStartTheLinkCutsOffLeavesNoQemuOnTheHostAndTheNextStartWorks() throws Exception {
        virtdOnTheDpu();
        HeldStart held = defineHeld(NAMES + "cutoff");
        String name = held.name();
        VirshRunner.Result failedStart;
        try (ExecutorService background = Executors.newSingleThreadExecutor()) {
            Future<VirshRunner.Result> start = background.submit(() -> debian.run("-c", URI, "start", name));
            long pid = held.awaitHeld();
            bed.cutLink(Side.Role.DPU);
            try {
                held.release();
                // the HOST's udsproxyd notices the dead link (keepalive) and closes the start's connection
                awaitLong("rexec_server killing the qemu whose start was not confirmed", () -> !alive(pid));
                assertThat(servers.log(host)).contains("killed detached pid " + pid + " ").contains("its client went before confirming the start");
            } finally {
                bed.restoreLink(Side.Role.DPU);
            }
            failedStart = start.get();
        }
        Files.writeString(logs.resolve("cut-off-start.txt"), failedStart.stdout() + failedStart.stderr());
        assertThat(failedStart.status()).as("the start cut off: " + failedStart.stdout() + failedStart.stderr()).isNotZero();
        // the cut may have caught STARTED on its way ("cannot start …: the connection … was lost") or the start after
        // it ("did not start … its process ended: killed by signal 9"): either way the start failed, no qemu is left
        assertThat(failedStart.stderr()).containsAnyOf("cannot start " + held.emulator() + " for domain '" + name + "'",
                "domain '" + name + "' did not start");
        assertThat(debian.run("-c", URI, "domstate", name).stdout()).isEqualTo("shut off\n\n");

        awaitSucceeds(() -> debian.run("-c", URI, "start", name));
        long pid = qemuOnTheHost(name);
        ok(debian.run("-c", URI, "destroy", name));
        assertThat(alive(pid)).isFalse();
    }

    @Test
    void virtdKilledWithSignal9DuringAStartLeavesNoQemuAndANewVirtdStartsTheGuest() throws Exception {
        VirtdProcess virtd = virtdOnTheDpu();
        HeldStart held = defineHeld(NAMES + "midstart");
        String name = held.name();
        try (ExecutorService background = Executors.newSingleThreadExecutor()) {
            Future<VirshRunner.Result> start = background.submit(() -> debian.run("-c", URI, "start", name));
            long pid = held.awaitHeld();
            virtd.kill9();
            held.release();
            // the start's connection ends with virtd's process: at once, no keepalive needed
            await("rexec_server killing the qemu whose start was not confirmed", () -> !alive(pid));
            assertThat(start.get().status()).as("virsh start with its daemon killed").isNotZero();
        }
        virtd.launch();
        assertThat(debian.run("-c", URI, "domstate", name).stdout()).isEqualTo("shut off\n\n");
        ok(debian.run("-c", URI, "start", name));
        long pid = qemuOnTheHost(name);
        ok(debian.run("-c", URI, "destroy", name));
        assertThat(alive(pid)).isFalse();
    }

    /** As {@link ProxyPair#await}, for up to 60 s: a dead link is noticed by TCP keepalive, after some 10 s. */
    private static void awaitLong(String what, ProxyPair.Check condition) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(100);
        }
    }

    @Test
    void theHostsServicesRestartedLeaveTheGuestRunningAndManaged() throws Exception {
        virtdOnTheDpu();
        String name = define(debian, NAMES + "restart", "");
        ok(debian.run("-c", URI, "start", name));
        long pid = qemuOnTheHost(name);

        assertThat(servers.stop(host)).isZero();
        proxies.kill9(host);
        assertThat(alive(pid)).isTrue();
        startHostServer();
        proxies.start(host);

        awaitSucceeds(() -> debian.run("-c", URI, "suspend", name));
        ok(debian.run("-c", URI, "resume", name));
        ok(debian.run("-c", URI, "destroy", name)); // the guest may not have booted far enough to hear a power button
        assertThat(alive(pid)).isFalse();
        assertThat(debian.run("-c", URI, "domstate", name, "--reason").stdout()).isEqualTo("shut off (destroyed)\n\n");
    }

    @Test
    void tenGuestsStartInParallelFromTheDpu() throws Exception {
        virtdOnTheDpu();
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            names.add(define(debian, NAMES + "many" + i, ""));
        }
        try (ExecutorService pool = Executors.newFixedThreadPool(10)) {
            List<Future<VirshRunner.Result>> starts = new ArrayList<>();
            for (String name : names) {
                Callable<VirshRunner.Result> start = () -> debian.run("-c", URI, "start", name);
                starts.add(pool.submit(start));
            }
            for (Future<VirshRunner.Result> start : starts) {
                ok(start.get());
            }
        }
        for (String name : names) {
            qemuOnTheHost(name);
        }
        String list = debian.run("-c", URI, "list").stdout();
        for (String name : names) {
            assertThat(list).containsPattern(" \\d+ +" + name + " +running");
            ok(debian.run("-c", URI, "destroy", name));
        }
        assertThat(GuestProcesses.matching("guest=" + NAMES)).isEmpty();
    }

    /** Retries {@code call} every second for up to 60 s until it succeeds (the link's and monitors' recovery). */
    private static void awaitSucceeds(Callable<VirshRunner.Result> call) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        VirshRunner.Result last = call.call();
        while (last.status() != 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still failing after 60 s: " + last.stdout() + last.stderr());
            }
            Thread.sleep(1000);
            last = call.call();
        }
    }
}
