package io.dpuvirt.systest;

import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code dpuvirt offload up|down|check libvirt} on the test bed, each side in its own namespaces: up on the HOST and
 * then the DPU makes both complete (virtd answers Debian's virsh on the DPU), up again changes nothing, down on both
 * leaves no file, directory, whitelist entry or process that up made (what was there before stays), and check says
 * what is missing with a status scripts can tell apart.
 */
class OffloadProfileTest {
    private static final String STATE_DIRECTORY = "/run/dpuvirt/offload";
    private static final String VIRTD_URI = "qemu+unix:///system?socket=/var/run/libvirt/libvirt-sock";
    /** What the HOST's qtfs whitelist held before: up adds to it, down takes exactly its own entries away. */
    private static final String HOST_QTFS_WHITELIST = "# the HOST's own entries\n[Open]\nPath=/home/VMs\n[Udsconnect]\nPath=/var/lib/libvirt\n";
    /**
     * virtd's own files on the DPU, which down leaves: domain definitions and running-domain records (guests keep
     * running on the HOST and the next virtd finds them through these), its lock; the test driver defines its domain
     * 'test' on a first start.
     */
    private static final Pattern VIRTD_DATA = Pattern.compile("/etc/dpuvirt/(qemu|stratovirt|test)(/.*)?|/run/dpuvirt(/(qemu|stratovirt|test)(/.*)?|/virtd\\.lock)?");
    private static final int INCOMPLETE = 4;

    @TempDir
    Path dir;

    private TestBed bed;
    private Side host;
    private Side dpu;
    private Path key;

    @BeforeEach
    void up(TestInfo test) throws Exception {
        Path logs = Project.logDirectory("offload-profile-" + test.getTestMethod().orElseThrow().getName());
        key = ProxyPair.writeKey(logs.resolve("link.key"));
        bed = TestBed.up(TestBedConfig.named("ofp"));
        host = bed.host();
        dpu = bed.dpu();
    }

    @AfterEach
    void down() throws Exception {
        if (bed != null) {
            for (Side side : List.of(dpu, host)) {
                offload(side, "down"); // what the profile started goes the way it is meant to; the bed kills the rest
            }
            bed.close();
        }
    }

    /** {@code dpuvirt offload ACTION libvirt --side SIDE} on {@code side}, plus the link settings for up. */
    private CommandResult offload(Side side, String action, String... more) throws IOException {
        List<String> command = new ArrayList<>(List.of(Project.bin("dpuvirt"), "offload", action, "libvirt", "--side",
                side.role().name().toLowerCase()));
        if (action.equals("up")) {
            Side peer = side == host ? dpu : host;
            command.addAll(List.of("--key", key.toString(), "--local", side.address(), "--peer", peer.address()));
        }
        command.addAll(List.of(more));
        return side.run(Duration.ofSeconds(120), command.toArray(String[]::new));
    }

    private static CommandResult ok(CommandResult result) {
        assertThat(result.exitStatus()).as(result.stdout() + result.stderr()).isZero();
        return result;
    }

    /** Everything in the side's private directories (its own /run, /etc/qtfs, /etc/rexec, /etc/dpuvirt, …). */
    private Set<String> files(Side side) throws IOException {
        String directories = String.join(" ", bed.config().privateDirectories());
        return new TreeSet<>(side.shell("find " + directories + " -xdev").stdout().lines().toList());
    }

    /** The processes in the side's network namespace: what the profile started runs there, and nothing else does. */
    private static List<String> processes(Side side) throws IOException {
        List<String> processes = new ArrayList<>();
        for (String pid : Commands.check("ip", "netns", "pids", side.networkNamespace()).stdout().lines().toList()) {
            processes.add(pid + " " + Commands.run("cat", "/proc/" + pid + "/cmdline").stdout().replace('\0', ' '));
        }
        return processes;
    }

    private static String read(Side side, String file) throws IOException {
        return side.shell("cat " + file).stdout();
    }

    private String pid(Side side, String daemon) throws IOException {
        return read(side, STATE_DIRECTORY + "/" + daemon + ".pid").split(" ")[0];
    }

    @Test
    void upMakesBothSidesCompleteAgainChangesNothingAndDownLeavesNothingOfIt() throws Exception {
        host.shell("cat > /etc/qtfs/whitelist <<'END'\n" + HOST_QTFS_WHITELIST + "END\nchmod 600 /etc/qtfs/whitelist");
        host.shell("printf '/bin/true\\n' > /etc/rexec/whitelist && chmod 400 /etc/rexec/whitelist");
        Set<String> hostBefore = files(host);
        Set<String> dpuBefore = files(dpu);
        assertThat(processes(host)).isEmpty();
        assertThat(processes(dpu)).isEmpty();

        String hostUp = ok(offload(host, "up")).stdout();
        assertThat(hostUp).contains("added    /var/run/rexec to [Udsconnect] of /etc/qtfs/whitelist",
                "added    /usr/bin/qemu-system-x86_64 to /etc/rexec/whitelist", "started  udsproxyd (pid ",
                "started  rexec_server (pid ");
        String dpuUp = ok(offload(dpu, "up")).stdout();
        assertThat(dpuUp).contains("set      [host] guests=remote in /etc/dpuvirt/virtd.conf", "started  udsproxyd (pid ",
                "ok       the HOST's rexec_server socket is mirrored at /var/run/rexec/rexec_uds.sock", "started  virtd (pid ");
        assertThat(ok(offload(host, "check")).stdout()).doesNotContain("MISSING").endsWith("check: complete (9 requirements)\n");
        assertThat(ok(offload(dpu, "check")).stdout()).doesNotContain("MISSING").endsWith("check: complete (11 requirements)\n");

        // the rexec whitelist is rexec_server's: root's, 0400; the HOST's earlier whitelist entries are still there
        assertThat(host.shell("stat -c '%U %a' /etc/rexec/whitelist").stdout()).isEqualTo("root 400\n");
        assertThat(read(host, "/etc/rexec/whitelist")).isEqualTo("/bin/true\n/usr/bin/qemu-system-x86_64\n");
        Whitelist hostWhitelist = whitelist(read(host, "/etc/qtfs/whitelist"));
        assertThat(hostWhitelist.entries(Whitelist.Section.UDSCONNECT).entries())
                .containsExactly("/var/lib/libvirt", "/var/lib/dpuvirt", "/var/run/rexec");
        assertThat(read(dpu, "/etc/dpuvirt/virtd.conf")).as("virtd dials the HOST's udsproxyd with the link's key")
                .isEqualTo("[host]\nguests=remote\nrexec_socket=/var/run/rexec/rexec_uds.sock\nudsproxyd=" + host.address()
                        + ":12121\nlink_key=" + key + "\n");

        // virtd on the DPU answers libvirt's own client, and reaches the HOST (node facts come from there)
        VirshRunner virsh = VirshRunner.debian(Files.createDirectories(dir.resolve("home"))).on(dpu);
        VirshRunner.Result uri = virsh.run("-c", VIRTD_URI, "uri");
        assertThat(uri.status()).as(uri.stderr()).isZero();
        assertThat(uri.stdout().strip()).isEqualTo(VIRTD_URI);
        VirshRunner.Result nodeinfo = virsh.run("-c", VIRTD_URI, "nodeinfo");
        assertThat(nodeinfo.status()).as(nodeinfo.stderr()).isZero();
        assertThat(nodeinfo.stdout()).contains("CPU(s):");

        // up again: nothing changes, and it says so
        String hostState = read(host, STATE_DIRECTORY + "/libvirt-host.state");
        String dpuState = read(dpu, STATE_DIRECTORY + "/libvirt-dpu.state");
        List<String> hostProcesses = processes(host);
        List<String> dpuProcesses = processes(dpu);
        assertThat(hostProcesses).hasSize(2);
        assertThat(dpuProcesses).hasSize(2);
        assertThat(ok(offload(host, "up")).stdout()).doesNotContain("added", "created", "started")
                .endsWith("up: nothing changed, the HOST side was complete\n");
        assertThat(ok(offload(dpu, "up")).stdout()).doesNotContain("added", "created", "started", "set  ")
                .endsWith("up: nothing changed, the DPU side was complete\n");
        assertThat(read(host, STATE_DIRECTORY + "/libvirt-host.state")).isEqualTo(hostState);
        assertThat(read(dpu, STATE_DIRECTORY + "/libvirt-dpu.state")).isEqualTo(dpuState);
        assertThat(processes(host)).isEqualTo(hostProcesses);
        assertThat(processes(dpu)).isEqualTo(dpuProcesses);

        String dpuDown = ok(offload(dpu, "down")).stdout();
        assertThat(dpuDown).contains("stopped  virtd (pid ", "stopped  udsproxyd (pid ", "removed  /etc/dpuvirt/virtd.conf");
        String hostDown = ok(offload(host, "down")).stdout();
        assertThat(hostDown).contains("stopped  rexec_server (pid ", "stopped  udsproxyd (pid ",
                "removed  /usr/bin/qemu-system-x86_64 from /etc/rexec/whitelist");

        assertThat(processes(host)).isEmpty();
        assertThat(processes(dpu)).isEmpty();
        assertThat(files(host)).isEqualTo(hostBefore);
        Set<String> dpuAfter = files(dpu);
        assertThat(dpuAfter).containsAll(dpuBefore);
        assertThat(dpuAfter.stream().filter(path -> !dpuBefore.contains(path)))
                .as("what down left on the DPU besides virtd's own data").allMatch(path -> VIRTD_DATA.matcher(path).matches());
        assertThat(read(host, "/etc/rexec/whitelist")).isEqualTo("/bin/true\n");
        assertThat(host.shell("stat -c '%U %a' /etc/rexec/whitelist").stdout()).isEqualTo("root 400\n");
        Whitelist restored = whitelist(read(host, "/etc/qtfs/whitelist"));
        Whitelist original = whitelist(HOST_QTFS_WHITELIST);
        assertThat(restored.sections()).isEqualTo(original.sections());

        // down again is fine; check says what is missing, with its own status
        assertThat(ok(offload(dpu, "down")).stdout()).contains("down: nothing to undo");
        CommandResult hostCheck = offload(host, "check");
        assertThat(hostCheck.exitStatus()).as(hostCheck.stdout()).isEqualTo(INCOMPLETE);
        assertThat(hostCheck.stdout()).contains(
                "MISSING  [Udsconnect] of /etc/qtfs/whitelist does not cover /var/lib/dpuvirt",
                "MISSING  /etc/rexec/whitelist does not list /usr/bin/qemu-system-x86_64",
                "MISSING  udsproxyd is not running (no pid file /run/dpuvirt/offload/udsproxyd.pid)",
                "MISSING  rexec_server is not running (no pid file /run/dpuvirt/offload/rexec_server.pid)",
                "check: 7 of 9 requirements missing");
        CommandResult dpuCheck = offload(dpu, "check");
        assertThat(dpuCheck.exitStatus()).as(dpuCheck.stdout()).isEqualTo(INCOMPLETE);
        assertThat(dpuCheck.stdout()).contains(
                "MISSING  /etc/dpuvirt/virtd.conf does not exist (it must set [host] guests=remote)",
                "MISSING  the HOST's rexec_server socket is not mirrored at /var/run/rexec/rexec_uds.sock: no udsproxyd runs here",
                "MISSING  virtd is not running (no pid file /run/dpuvirt/offload/virtd.pid)");
    }

    /** A path of the profile's own (state, pid files, logs) or one it writes to on a fresh side. */
    private static boolean madeByUp(String path) {
        return path.startsWith(STATE_DIRECTORY) || path.startsWith("/etc/qtfs/") || path.startsWith("/etc/rexec/")
                || path.equals("/etc/dpuvirt/virtd.conf") || path.contains("/offload-") || path.startsWith("/run/rexec")
                || path.startsWith("/run/qtfs") || path.startsWith("/run/libvirt");
    }

    private static Whitelist whitelist(String text) throws Exception {
        return Whitelist.of(KeyFile.parse(Path.of("/etc/qtfs/whitelist"), text));
    }

    @Test
    void aDaemonThatDiedIsNamedByCheckAndStartedAgainByUpAlone() throws Exception {
        ok(offload(host, "up"));
        ok(offload(dpu, "up"));
        String virtd = pid(dpu, "virtd");
        String udsproxyd = pid(dpu, "udsproxyd");
        Commands.check("kill", "-KILL", virtd);
        await("virtd gone", () -> offload(dpu, "check").stdout().contains(
                "MISSING  virtd is not running (pid file /run/dpuvirt/offload/virtd.pid names pid " + virtd + ", which is gone)"));
        assertThat(offload(dpu, "check").exitStatus()).isEqualTo(INCOMPLETE);

        String again = ok(offload(dpu, "up")).stdout();
        assertThat(again).contains("ok       udsproxyd runs (pid " + udsproxyd + ")", "started  virtd (pid ")
                .endsWith("up: 1 change(s), recorded in /run/dpuvirt/offload/libvirt-dpu.state\n");
        assertThat(pid(dpu, "virtd")).isNotEqualTo(virtd);
        ok(offload(dpu, "check"));
        // recorded once: down stops the new virtd, once
        assertThat(read(dpu, STATE_DIRECTORY + "/libvirt-dpu.state").lines().filter(line -> line.startsWith("service virtd")))
                .hasSize(1);
        assertThat(ok(offload(dpu, "down")).stdout()).containsOnlyOnce("stopped  virtd");
        assertThat(processes(dpu)).isEmpty();
    }

    @Test
    void theDpuFirstFailsClearlyAndCompletesOnceTheHostIsUp() throws Exception {
        CommandResult early = offload(dpu, "up");
        assertThat(early.exitStatus()).as(early.stdout() + early.stderr()).isEqualTo(1);
        assertThat(early.stdout()).contains("started  udsproxyd (pid ").doesNotContain("started  virtd");
        assertThat(early.stderr()).contains("dpuvirt: udsproxyd's link to the HOST did not come up within 15 s (link: ",
                "): is udsproxyd running on the HOST, with the same key?",
                "what it did is recorded in /run/dpuvirt/offload/libvirt-dpu.state: run up again once the cause is fixed, or down to undo it");
        assertThat(offload(dpu, "check").exitStatus()).isEqualTo(INCOMPLETE);

        ok(offload(host, "up"));
        String later = ok(offload(dpu, "up")).stdout();
        assertThat(later).contains("ok       udsproxyd runs (pid ", "started  virtd (pid ");
        ok(offload(dpu, "check"));
        ok(offload(host, "check"));
        ok(offload(dpu, "down"));
        ok(offload(host, "down"));
        assertThat(processes(host)).isEmpty();
        assertThat(processes(dpu)).isEmpty();
        assertThat(files(host)).noneMatch(OffloadProfileTest::madeByUp);
        assertThat(files(dpu)).noneMatch(OffloadProfileTest::madeByUp);
    }

    @Test
    void settingsComeFromOffloadConfOptionsWinAndMistakesAreNamed() throws Exception {
        host.shell("printf '[libvirt]\\nside=host\\nkey=%s\\nlocal=%s\\npeer=%s\\nport=12199\\n' " + key + " " + host.address()
                + " " + dpu.address() + " > /etc/dpuvirt/offload.conf");
        CommandResult fromFile = host.run(Duration.ofSeconds(120), Project.bin("dpuvirt"), "offload", "up", "libvirt", "--port", "12198");
        assertThat(fromFile.exitStatus()).as(fromFile.stdout() + fromFile.stderr()).isZero();
        assertThat(processes(host)).anyMatch(p -> p.contains("UdsproxydMain --key " + key + " 1 " + host.address() + " 12198 "
                + dpu.address() + " 12198"));
        ok(offload(host, "down"));

        host.shell("printf '[libvirt]\\nside=host\\n' > /etc/dpuvirt/offload.conf");
        CommandResult noLink = host.run(Duration.ofSeconds(60), Project.bin("dpuvirt"), "offload", "up", "libvirt");
        assertThat(noLink.exitStatus()).isEqualTo(2);
        assertThat(noLink.stderr()).startsWith("dpuvirt: up needs --key FILE, --local ADDR and --peer ADDR");
        host.shell("printf '[libvirt]\\nside=host\\nport=http\\n' > /etc/dpuvirt/offload.conf");
        CommandResult badPort = host.run(Duration.ofSeconds(60), Project.bin("dpuvirt"), "offload", "check", "libvirt");
        assertThat(badPort.exitStatus()).isEqualTo(3);
        assertThat(badPort.stderr()).isEqualTo("dpuvirt: /etc/dpuvirt/offload.conf:3: port=http: not a port (1 to 65535)\n");
        CommandResult badOption = host.run(Duration.ofSeconds(60), Project.bin("dpuvirt"), "offload", "check", "libvirt", "--port", "0");
        assertThat(badOption.exitStatus()).isEqualTo(2);
        assertThat(badOption.stderr()).startsWith("dpuvirt: --port 0: not a port (1 to 65535)\n");
        assertThat(files(host)).noneMatch(OffloadProfileTest::madeByUp);
    }
}
