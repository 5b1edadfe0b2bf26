package io.dpuvirt.systest;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
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
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/virtd's qemu and stratovirt drivers with real guests (qemu-system-x86_64 under TCG, the guest of
 * scripts/guest-image), driven by Debian's virsh and bin/virsh. Every test kills its guests by pid at its end,
 * passed or failed.
 */
class VirtdQemuTest {
    private static final Path CONSOLE = Project.HOME.resolve("libexec/console-until");

    @TempDir
    Path dir;

    private Path logs;
    private VirshRunner debian;
    private VirshRunner java;
    private final List<VirtdProcess> daemons = new ArrayList<>();

    @BeforeEach
    void setUp(TestInfo test) throws Exception {
        logs = Project.logDirectory("virtd-qemu-" + test.getTestMethod().orElseThrow().getName());
        Path home = Files.createDirectories(dir.resolve("home"));
        debian = VirshRunner.debian(home);
        java = VirshRunner.java(home);
        GuestImage.directory();
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (VirtdProcess daemon : daemons) {
            daemon.close();
            int killed = GuestProcesses.killAll(daemon.root());
            if (killed > 0) {
                Files.writeString(logs.resolve("cleanup.txt"), killed + " guest processes killed at the end\n");
            }
        }
    }

    private VirtdProcess daemon() throws Exception {
        VirtdProcess daemon = VirtdProcess.start(Files.createDirectories(dir.resolve("virtd")), logs.resolve("virtd.log"),
                "--log-level", "debug");
        daemons.add(daemon);
        return daemon;
    }

    private String file(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content).toString();
    }

    /** A small guest named {@code name}, defined and started with Debian's virsh. */
    private void defineAndStart(String uri, String name) throws Exception {
        ok(debian.run("-c", uri, "define", file(name + ".xml", GuestImage.domain(name, 128, 1, "", ""))));
        ok(debian.run("-c", uri, "start", name));
    }

    private static VirshRunner.Result ok(VirshRunner.Result result) {
        assertThat(result.status()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    /** Polls {@code domstate --reason} until it reads {@code expected} (a guest boots or powers off on its own). */
    private static void awaitState(VirshRunner virsh, String uri, String domain, String expected) throws Exception {
        long deadline = System.nanoTime() + 90_000_000_000L;
        String state = "";
        while (System.nanoTime() < deadline) {
            state = virsh.run("-c", uri, "domstate", domain, "--reason").stdout().strip();
            if (state.equals(expected)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("domain " + domain + " is '" + state + "', not '" + expected + "'");
    }

    /**
     * {@code virsh console} on a terminal; once attached, {@code resume} lets the paused guest boot, so that
     * its first line cannot pass before the console is there.
     */
    private String consoleUntilFirstLine(VirshRunner virsh, String uri, String domain, String binary) throws Exception {
        String resume = binary + " -c '" + uri + "' resume " + domain + " > /dev/null";
        Process console = new ProcessBuilder("python3", CONSOLE.toString(), "--timeout", "90", "--when", "Escape character",
                "--run", resume, "--expect", GuestImage.FIRST_LINE, "--", binary, "-c", uri, "console", domain)
                .redirectErrorStream(true).start();
        String output = new String(console.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Files.writeString(logs.resolve(domain + "-console.txt"), output);
        assertThat(console.waitFor()).as(virsh.name() + " console: " + output).isZero();
        return output;
    }

    @Test
    void debianAndJavaVirshRunAGuestThroughItsWholeLife() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        for (VirshRunner virsh : List.of(debian, java)) {
            String name = virsh == debian ? "life-debian" : "life-java";
            String binary = virsh == debian ? VirshRunner.DEBIAN.toString() : Project.bin("virsh");
            String xml = file(name + ".xml", GuestImage.domain(name, 128, 1, "", ""));
            assertThat(ok(virsh.run("-c", uri, "define", xml)).stdout()).isEqualTo("Domain '" + name + "' defined from "
                    + xml + "\n\n");
            assertThat(ok(virsh.run("-c", uri, "start", "--paused", name)).stdout()).isEqualTo("Domain '" + name
                    + "' started\n\n");
            assertThat(consoleUntilFirstLine(virsh, uri, name, binary)).contains("Connected to domain '" + name + "'",
                    GuestImage.FIRST_LINE);
            assertThat(virsh.run("-c", uri, "domstate", name, "--reason").stdout()).isEqualTo("running (unpaused)\n\n");
            assertThat(ok(virsh.run("-c", uri, "suspend", name)).stdout()).isEqualTo("Domain '" + name + "' suspended\n\n");
            assertThat(virsh.run("-c", uri, "domstate", name, "--reason").stdout()).isEqualTo("paused (user)\n\n");
            assertThat(ok(virsh.run("-c", uri, "resume", name)).stdout()).isEqualTo("Domain '" + name + "' resumed\n\n");
            assertThat(virsh.run("-c", uri, "list").stdout()).containsPattern(" \\d+ +" + name + " +running");
            assertThat(virsh.run("-c", uri, "dominfo", name).stdout()).contains("State:          running",
                    "Max memory:     131072 KiB").containsPattern("CPU time: +\\d+\\.\\ds");
            assertThat(ok(virsh.run("-c", uri, "shutdown", name)).stdout()).isEqualTo("Domain '" + name
                    + "' is being shutdown\n\n");
            awaitState(virsh, uri, name, "shut off (shutdown)");
            assertThat(ok(virsh.run("-c", uri, "undefine", name)).stdout()).isEqualTo("Domain '" + name
                    + "' has been undefined\n\n");
        }
        assertThat(GuestProcesses.under(virtd.root())).isEmpty();
        assertThat(virtd.root().resolve("var/lib/dpuvirt/qemu")).isEmptyDirectory();
    }

    @Test
    void aRunningGuestSurvivesADaemonKilledWithSignal9() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        defineAndStart(uri, "survivor");
        String before = debian.run("-c", uri, "list").stdout();
        List<Long> guests = GuestProcesses.under(virtd.root());
        assertThat(guests).hasSize(1);

        virtd.kill9();
        assertThat(ProcessHandle.of(guests.getFirst()).map(ProcessHandle::isAlive)).contains(true);
        virtd.launch();
        assertThat(debian.run("-c", uri, "list").stdout()).isEqualTo(before);
        assertThat(GuestProcesses.under(virtd.root())).isEqualTo(guests);
        ok(java.run("-c", uri, "suspend", "survivor"));
        assertThat(java.run("-c", uri, "domstate", "survivor", "--reason").stdout()).isEqualTo("paused (user)\n\n");
        ok(java.run("-c", uri, "resume", "survivor"));
        assertThat(ok(debian.run("-c", uri, "destroy", "survivor")).stdout()).isEqualTo("Domain 'survivor' destroyed\n\n");
        assertThat(debian.run("-c", uri, "domstate", "survivor", "--reason").stdout()).isEqualTo("shut off (destroyed)\n\n");
        assertThat(GuestProcesses.under(virtd.root())).isEmpty();
        assertThat(virtd.log()).contains("qemu: domain 'survivor' found running again with id 1");
    }

    /**
     * A daemon killed while a guest starts (its qemu runs, paused, its start not complete) must not leave that qemu
     * behind, holding memory and disks while the domain shows shut off: the new daemon ends it, as libvirt does.
     */
    @Test
    void aGuestHalfStartedWhenTheDaemonIsKilledIsEndedByTheNextDaemon() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        // an emulator that takes its time before it becomes qemu: the daemon is killed within its start
        Path slowQemu = Files.writeString(dir.resolve("slow-qemu"), "#!/bin/sh\nsleep 4\nexec qemu-system-x86_64 \"$@\"\n");
        Files.setPosixFilePermissions(slowQemu, PosixFilePermissions.fromString("rwxr-xr-x"));
        String xml = GuestImage.domain("halfway", 128, 1, "", "").replace("<devices>", "<devices><emulator>" + slowQemu + "</emulator>");
        ok(debian.run("-c", uri, "define", file("halfway.xml", xml)));
        Process start = new ProcessBuilder(VirshRunner.DEBIAN.toString(), "-c", uri, "start", "halfway")
                .redirectErrorStream(true).redirectOutput(logs.resolve("start.txt").toFile()).start();
        try {
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (GuestProcesses.under(virtd.root()).isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(GuestProcesses.under(virtd.root())).hasSize(1);
            Thread.sleep(500); // the start is recorded right after the spawn
            virtd.kill9();
        } finally {
            start.destroyForcibly().waitFor();
        }
        virtd.launch();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!GuestProcesses.under(virtd.root()).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(GuestProcesses.under(virtd.root())).isEmpty();
        assertThat(debian.run("-c", uri, "domstate", "halfway").stdout()).isEqualTo("shut off\n\n");
        assertThat(virtd.log()).contains("domain 'halfway' was being started when the daemon stopped");
    }

    /**
     * A guest the restarted daemon cannot look for (here: its recorded pid unreadable) may still run: it is shown shut
     * off, and a start is refused rather than running a second qemu on its disks. It is looked for again, and found
     * once it can be (as when an offloaded daemon's HOST becomes reachable).
     */
    @Test
    void aGuestThatCannotBeLookedForAfterARestartIsNotStartedASecondTimeAndIsFoundOnceItCanBe() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        defineAndStart(uri, "unsure");
        List<Long> guests = GuestProcesses.under(virtd.root());
        virtd.kill9();
        Path state;
        try (var files = Files.walk(virtd.root())) {
            state = files.filter(f -> f.getFileName().toString().equals("unsure.state")).findFirst().orElseThrow();
        }
        String recorded = Files.readString(state);
        Files.writeString(state, recorded.replaceFirst("fact\\.pid=\\d+", "fact.pid=unknown"));
        virtd.launch();
        VirshRunner.Result start = debian.run("-c", uri, "start", "unsure");
        assertThat(start.status()).isNotZero();
        assertThat(start.stderr()).contains("domain 'unsure' may still be running", "it is looked for again every 3 s");
        assertThat(GuestProcesses.under(virtd.root())).isEqualTo(guests);
        Files.writeString(state, recorded);
        awaitState(debian, uri, "unsure", "running (booted)");
        assertThat(GuestProcesses.under(virtd.root())).isEqualTo(guests);
        ok(debian.run("-c", uri, "destroy", "unsure"));
    }

    @Test
    void aGuestThatPowersItselfOffOrCrashesIsShutOffWithItsReason() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        ok(debian.run("-c", uri, "create", file("brief.xml", GuestImage.domain("brief", 128, 1, "", "dpuvirt.poweroff"))));
        ok(debian.run("-c", uri, "define", file("victim.xml", GuestImage.domain("victim", 128, 1, "", ""))));
        ok(debian.run("-c", uri, "start", "victim"));
        long victim = GuestProcesses.under(virtd.root()).stream()
                .filter(pid -> ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("").contains("guest=victim"))
                .findFirst().orElseThrow();
        ProcessHandle.of(victim).ifPresent(ProcessHandle::destroyForcibly);
        awaitState(debian, uri, "victim", "shut off (crashed)");
        long deadline = System.nanoTime() + 90_000_000_000L;
        while (debian.run("-c", uri, "list", "--name").stdout().contains("brief") && System.nanoTime() < deadline) {
            Thread.sleep(200); // a transient domain vanishes when its guest powers off
        }
        assertThat(debian.run("-c", uri, "list", "--all", "--name").stdout()).isEqualTo("victim\n\n");
        assertThat(virtd.log()).contains("qemu: domain 'brief' stopped (shutdown)", "qemu: domain 'victim' stopped (crashed)");
    }

    @Test
    void vcpuPinningReachesTheVcpuThreads() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        String pins = "<cputune><vcpupin vcpu='0' cpuset='1'/><vcpupin vcpu='1' cpuset='0'/></cputune>";
        ok(java.run("-c", uri, "create", file("pinned.xml", GuestImage.domain("pinned", 128, 2, pins, ""))));
        List<Long> guests = GuestProcesses.under(virtd.root());
        assertThat(guests).hasSize(1);
        assertThat(GuestProcesses.vcpuAffinities(guests.getFirst())).containsExactly("CPU 0/TCG 1", "CPU 1/TCG 0");
        ok(java.run("-c", uri, "destroy", "pinned"));
    }

    @Test
    void invalidDomainsAreRefusedWithTheDriversMessages() throws Exception {
        VirtdProcess virtd = daemon();
        String test = file("test-type.xml", "<domain type='test'>\n  <name>t</name>\n  <memory>1024</memory>\n"
                + "  <os><type>hvm</type></os>\n</domain>\n");
        String network = file("network.xml", "<domain type='qemu'>\n  <name>n</name>\n  <memory>131072</memory>\n"
                + "  <os><type>hvm</type></os>\n  <devices>\n    <interface type='network'>\n"
                + "      <source network='default'/>\n    </interface>\n  </devices>\n</domain>\n");
        String qcow2 = file("qcow2.xml", "<domain type='kvm'>\n  <name>s</name>\n  <memory unit='MiB'>256</memory>\n"
                + "  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <features><acpi/></features>\n"
                + "  <devices>\n    <disk type='file' device='disk'>\n      <driver name='qemu' type='qcow2'/>\n"
                + "      <source file='/a.qcow2'/>\n      <target dev='vda' bus='virtio'/>\n    </disk>\n  </devices>\n"
                + "</domain>\n");
        for (VirshRunner virsh : List.of(debian, java)) {
            VirshRunner.Result testType = virsh.run("-c", virtd.systemUri("qemu"), "define", test);
            assertThat(testType.status()).isEqualTo(1);
            assertThat(testType.stderr()).isEqualTo("error: Failed to define domain from " + test + "\n"
                    + "error: XML error: (domain_definition):1: element 'domain' attribute 'type': the qemu driver runs "
                    + "domains of type 'kvm' or 'qemu', not 'test'\n");
            assertThat(virsh.run("-c", virtd.systemUri("qemu"), "define", network).stderr()).isEqualTo(
                    "error: Failed to define domain from " + network + "\nerror: XML error: (domain_definition):6: element "
                            + "'interface' attribute 'type': network 'default': this daemon has no libvirt networks; use an "
                            + "interface of type 'bridge', 'ethernet' or 'vhostuser'\n");
            assertThat(virsh.run("-c", virtd.systemUri("stratovirt"), "define", qcow2).stderr()).isEqualTo(
                    "error: Failed to define domain from " + qcow2 + "\nerror: XML error: (domain_definition):4: element "
                            + "'os': StratoVirt's x86_64 machine q35 needs pflash firmware: <loader type='pflash'>\n"
                            + "(domain_definition):10: element 'driver' attribute 'type': StratoVirt supports only raw "
                            + "disks, not 'qcow2'\n");
        }
    }

    @Test
    void twentyDomainsDefinedStartedAndDestroyedInParallel() throws Exception {
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("qemu");
        List<Callable<VirshRunner.Result>> clients = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "many" + i;
            String xml = file(name + ".xml", GuestImage.domain(name, 64, 1, "", ""));
            VirshRunner virsh = i % 2 == 0 ? debian : java;
            clients.add(() -> virsh.run("-c", uri, "define " + xml + "; start " + name + "; domstate " + name
                    + "; destroy " + name + "; undefine " + name));
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
            for (Future<VirshRunner.Result> result : threads.invokeAll(clients)) {
                VirshRunner.Result done = result.get();
                assertThat(done.status()).as(done.stdout() + done.stderr()).isZero();
                assertThat(done.stdout()).contains("started", "running\n", "destroyed", "has been undefined");
            }
        }
        assertThat(debian.run("-c", uri, "list", "--all", "--name").stdout()).isEqualTo("\n");
        assertThat(GuestProcesses.under(virtd.root())).isEmpty();
    }

    @Test
    void stratovirtRunsForRealWhenItIsInstalled() throws Exception {
        Optional<Path> stratovirt = Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .map(d -> Path.of(d, "stratovirt")).filter(Files::isExecutable).findFirst();
        if (stratovirt.isEmpty()) {
            String why = "SKIPPED stratovirtRunsForRealWhenItIsInstalled: no 'stratovirt' binary on PATH (StratoVirt is "
                    + "not packaged in Debian); its command lines are checked against golden files instead";
            System.err.println(why);
            Files.writeString(logs.resolve("skipped.txt"), why + "\n");
        }
        Assumptions.assumeTrue(stratovirt.isPresent(), "no 'stratovirt' binary on PATH");
        VirtdProcess virtd = daemon();
        String uri = virtd.systemUri("stratovirt");
        String xml = GuestImage.domain("strato", 256, 1, "", "").replace("type='qemu'", "type='kvm'")
                .replace("<type arch='x86_64'>hvm</type>", "<type arch='x86_64' machine='q35'>hvm</type>");
        ok(debian.run("-c", uri, "define", file("strato.xml", xml)));
        ok(debian.run("-c", uri, "start", "strato"));
        ok(debian.run("-c", uri, "suspend", "strato"));
        ok(debian.run("-c", uri, "resume", "strato"));
        ok(debian.run("-c", uri, "destroy", "strato"));
        ok(debian.run("-c", uri, "undefine", "strato"));
    }
}
