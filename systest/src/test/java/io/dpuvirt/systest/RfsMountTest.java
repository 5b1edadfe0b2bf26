package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.common.exec.Commands;
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

/**
 * The rfs mount as the seeds use it: {@code mount -t qtfs}, a refused export, the HOST's /proc and /sys, changes
 * made on the HOST showing on the DPU, socket nodes staying on the DPU next to udsproxyd's mirrors, and a guest
 * booted by qemu from a kernel and initramfs on the mount.
 */
class RfsMountTest {
    private TestBed bed;
    private RfsPair rfs;
    private Side host;
    private Side dpu;
    private final List<Background> servers = new ArrayList<>();
    private ProxyPair proxies;

    @BeforeEach
    void up(TestInfo test) throws Exception {
        bed = TestBed.up(TestBedConfig.named("rfsmnt"));
        host = bed.host();
        dpu = bed.dpu();
        rfs = new RfsPair(bed, Project.logDirectory("rfs-" + test.getTestMethod().orElseThrow().getName()));
    }

    @AfterEach
    void down() throws Exception {
        servers.forEach(Background::close);
        if (proxies != null) {
            proxies.close();
        }
        if (rfs != null) {
            rfs.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void mountTypeQtfsWorksThroughTheHelperAndUmountEndsTheDaemon() throws Exception {
        Path helper = Path.of("/sbin/mount.qtfs");
        Path ours = Path.of(Project.bin("mount.qtfs"));
        if (!Files.exists(helper) || !Files.isSameFile(helper, ours)) { // what scripts/setup does: ln -sfn
            Files.deleteIfExists(helper); // also a link left dangling by a removed checkout
            Files.createSymbolicLink(helper, ours);
        }
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("echo 'a VM image' > /home/VMs/vm1.img");
        rfs.startEngine();
        CommandResult mount = dpu.run(Duration.ofSeconds(60), "mount", "-t", "qtfs", "-o",
                "peer=" + host.address() + ":" + RfsPair.PORT + ",key=" + rfs.logs().resolve("link.key")
                        + ",log=" + rfs.logs().resolve("mount-t-qtfs.log"), "/home/VMs", "/home/VMs");
        assertThat(mount.exitStatus()).as(mount.stderr()).isZero();
        assertThat(dpu.run("findmnt", "-n", "-o", "FSTYPE,SOURCE", "/home/VMs").stdout().strip()).isEqualTo("fuse.qtfs /home/VMs");
        assertThat(dpu.run("cat", "/home/VMs/vm1.img").stdout()).isEqualTo("a VM image\n");
        long daemon = rfs.daemonPid("/home/VMs");

        assertThat(dpu.run("umount", "/home/VMs").exitStatus()).isZero();
        await("the daemon to end after umount", () -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true));
        assertThat(dpu.run("cat", "/home/VMs/vm1.img").succeeded()).as("the DPU's own, empty /home/VMs").isFalse();
    }

    @Test
    void anExportOutsideMountIsRefusedWithTheReasonAndNothingIsMounted() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        rfs.startEngine();
        CommandResult refused = rfs.mount("/etc", "/var/lib/dpuvirt/etc");
        assertThat(refused.exitStatus()).isEqualTo(1);
        assertThat(refused.stderr()).contains("the HOST refused to export /etc", "[Mount]");
        assertThat(dpu.run("findmnt", "/var/lib/dpuvirt/etc").succeeded()).isFalse();
        CommandResult wrongKey = dpu.run(Duration.ofSeconds(60), Project.bin("mount.qtfs"), "/home/VMs", "/home/VMs", "-o",
                "peer=" + host.address() + ":" + RfsPair.PORT + ",key=" + ProxyPair.writeKey(rfs.logs().resolve("other.key")));
        assertThat(wrongKey.exitStatus()).isEqualTo(1);
        assertThat(wrongKey.stderr()).contains("key");
    }

    @Test
    void theHostsProcAndSysAreReadableWithTheirContent() throws Exception {
        rfs.whitelist("[Mount]\nPath=/proc;/sys\n[Open]\nPath=/proc;/sys\n[Read]\nPath=/proc;/sys\n[Readdir]\nPath=/proc;/sys\n");
        rfs.startEngine();
        rfs.mount("/proc", "/var/lib/dpuvirt/hostproc").orThrow();
        rfs.mount("/sys", "/var/lib/dpuvirt/hostsys").orThrow();
        String hostPid = Long.toString(rfs.enginePid());
        assertThat(dpu.run("cat", "/var/lib/dpuvirt/hostproc/" + hostPid + "/cmdline").stdout()).contains("EngineMain");
        // the test bed shares process ids, but not networks: the HOST's view of its network is what shows
        assertThat(dpu.run("cat", "/var/lib/dpuvirt/hostproc/" + hostPid + "/net/dev").stdout())
                .contains("dvrfsmnth").doesNotContain("dvrfsmntd");
        assertThat(dpu.run("cat", "/proc/self/net/dev").stdout()).contains("dvrfsmntd");
        assertThat(dpu.run("stat", "-c", "%s", "/var/lib/dpuvirt/hostproc/meminfo").stdout().strip()).isEqualTo("0");
        assertThat(dpu.run("cat", "/var/lib/dpuvirt/hostproc/meminfo").stdout()).contains("MemTotal:");
        assertThat(dpu.run("ls", "/var/lib/dpuvirt/hostproc").stdout().lines()).contains(hostPid, "meminfo");
        assertThat(dpu.run("cat", "/var/lib/dpuvirt/hostsys/class/net/lo/mtu").stdout())
                .isEqualTo(host.run("cat", "/sys/class/net/lo/mtu").stdout()).isNotEmpty();
        // a magic link is read as text, never followed on the HOST
        assertThat(dpu.run("readlink", "/var/lib/dpuvirt/hostproc/" + hostPid + "/exe").stdout()).contains("java");
    }

    @Test
    void changesMadeOnTheHostShowOnTheDpuWithinTheCacheTime() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("echo old > /home/VMs/state");
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
        assertThat(dpu.run("cat", "/home/VMs/state").stdout()).isEqualTo("old\n");
        assertThat(dpu.run("test", "-e", "/home/VMs/later").succeeded()).isFalse();

        host.shell("echo 'new and longer' > /home/VMs/state.tmp && mv /home/VMs/state.tmp /home/VMs/state");
        report("replaced content", () -> dpu.run("cat", "/home/VMs/state").stdout().equals("new and longer\n"));
        host.shell("echo appended >> /home/VMs/state");
        report("appended content", () -> dpu.run("cat", "/home/VMs/state").stdout().endsWith("appended\n"));
        host.shell("touch /home/VMs/later");
        report("a new name", () -> dpu.run("test", "-e", "/home/VMs/later").succeeded());
        host.shell("chmod 600 /home/VMs/later");
        report("a mode change", () -> dpu.run("stat", "-c", "%a", "/home/VMs/later").stdout().strip().equals("600"));
        host.shell("rm /home/VMs/later");
        report("a removed name", () -> !dpu.run("test", "-e", "/home/VMs/later").succeeded());
    }

    /**
     * Writes are answered once their data is on its way to the HOST (write-behind): when close(2) returns, the HOST
     * has them all, checked at once through the HOST's view of its own files (the engine's /proc/PID/root).
     */
    @Test
    void writesAreOnTheHostWhenCloseReturns() throws Exception {
        mountHomeVMs();
        String script = """
                import os, sys
                block = os.urandom(1024 * 1024)
                for round in range(3):
                    fd = os.open("/home/VMs/image", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                    for _ in range(64):
                        os.write(fd, block)
                    os.close(fd)
                    size = os.stat(sys.argv[1]).st_size  # at once: data still on its way would show here
                    with open(sys.argv[1], "rb") as on_host:
                        same = on_host.read() == block * 64
                    print(size, same)
                """;
        CommandResult result = pythonOnTheDpu(script, "/home/VMs/image");
        assertThat(result.stdout().lines()).as(result.stderr()).containsExactly(
                64 * 1024 * 1024 + " True", 64 * 1024 * 1024 + " True", 64 * 1024 * 1024 + " True");
    }

    /**
     * A process waiting for a lock (SETLKW) that gets a signal stops waiting (EINTR), as on a local file system, and
     * leaves no lock held for it on the HOST.
     */
    @Test
    void aWaitingLockEndsOnASignalAndLeavesNoLockOnTheHost() throws Exception {
        mountHomeVMs();
        String script = """
                import fcntl, signal, subprocess, sys, time
                path = "/home/VMs/lockfile"
                open(path, "w").close()
                holder = subprocess.Popen([sys.executable, "-c", "import fcntl, sys, time\\n"
                    "f = open(sys.argv[1], 'r+'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); time.sleep(60)", path],
                    stdout=subprocess.PIPE, text=True)
                assert holder.stdout.readline().strip() == "locked"
                # its own SIGINT handler: one started from a background job inherits SIGINT ignored
                waiter = subprocess.Popen([sys.executable, "-c", "import fcntl, signal, sys\\n"
                    "signal.signal(signal.SIGINT, signal.default_int_handler)\\n"
                    "f = open(sys.argv[1], 'r+'); print('waiting', flush=True)\\n"
                    "try:\\n    fcntl.lockf(f, fcntl.LOCK_EX); print('granted')\\nexcept KeyboardInterrupt:\\n    print('interrupted')", path],
                    stdout=subprocess.PIPE, text=True)
                assert waiter.stdout.readline().strip() == "waiting"
                # python runs its handler only between two steps of the program: a signal that comes just before lockf's
                # system call is only seen after it, so the signal is sent again until the waiter is out
                for _ in range(20):
                    time.sleep(0.5)
                    waiter.send_signal(signal.SIGINT)
                    if waiter.poll() is not None:
                        break
                try:
                    print("waiter:", waiter.communicate(timeout=1)[0].strip())
                except subprocess.TimeoutExpired:
                    print("waiter: still waiting")
                    waiter.kill()
                holder.kill()
                holder.wait()
                f = open(path, "r+")
                for _ in range(50):  # the holder's release reaches the HOST on its own time
                    try:
                        fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                        print("free")
                        break
                    except OSError:
                        time.sleep(0.1)
                else:
                    print("still held")
                """;
        CommandResult result = pythonOnTheDpu(script, "/home/VMs/lockfile");
        assertThat(result.stdout().lines()).as(result.stderr()).containsExactly("waiter: interrupted", "free");
    }

    /**
     * Reads travel in requests of up to 512 KiB: large buffered and O_DIRECT reads, at and across those
     * boundaries, return the HOST's bytes.
     */
    @Test
    void largeReadsReturnTheHostsBytes() throws Exception {
        mountHomeVMs();
        String script = """
                import mmap, os, sys
                data = os.urandom(5 * 1024 * 1024 + 123)
                with open(sys.argv[1], "wb") as on_host:
                    on_host.write(data)
                results = []
                for size in (1024 * 1024, 3 * 1024 * 1024 + 5, 8 * 1024 * 1024):
                    with open("/home/VMs/big", "rb", buffering=0) as f:
                        got = b""
                        while chunk := f.read(size):
                            got += chunk
                    results.append(got == data)
                fd = os.open("/home/VMs/big", os.O_RDONLY | os.O_DIRECT)
                buffer = mmap.mmap(-1, 2 * 1024 * 1024)
                got = b""
                while n := os.readv(fd, [buffer]):
                    got += buffer[:n]
                os.close(fd)
                results.append(got == data)
                print(results)
                """;
        CommandResult result = pythonOnTheDpu(script, "/home/VMs/big");
        assertThat(result.stdout().strip()).as(result.stderr()).isEqualTo("[True, True, True, True]");
    }

    /**
     * A write the HOST cannot make (its file system is full) after the write(2) was answered is not lost: the
     * application gets ENOSPC from a later write(2) or from close(2), and the next open works as usual.
     */
    @Test
    void aWriteTheHostCouldNotMakeFailsALaterWriteOrTheClose() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.run("mkdir", "-p", "/home/VMs/small").orThrow();
        host.run("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", "/home/VMs/small").orThrow();
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
        String script = """
                import errno, os
                fd = os.open("/home/VMs/small/full", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
                failed = None
                for _ in range(64):
                    try:
                        os.write(fd, b"x" * 65536)
                    except OSError as e:
                        failed = "write " + errno.errorcode[e.errno]
                        break
                try:
                    os.close(fd)
                except OSError as e:
                    failed = failed or "close " + errno.errorcode[e.errno]
                os.unlink("/home/VMs/small/full")
                with open("/home/VMs/small/after", "w") as f:
                    f.write("fine")
                print(failed, open("/home/VMs/small/after").read())
                """;
        CommandResult result = dpu.run(Duration.ofSeconds(60), "python3", "-c", script);
        assertThat(result.stdout().strip()).as(result.stderr()).matches("(write|close) ENOSPC fine");
    }

    /**
     * After a listing, lookups in order are answered from a look-ahead (one round trip for many names): what this
     * mount changes meanwhile shows at once, what the HOST changes within the cache time, as without it.
     */
    @Test
    void lookupsAnsweredAheadShowChangesMadeThroughTheMountAtOnceAndOnTheHostWithinTheCacheTime() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("mkdir /home/VMs/d && cd /home/VMs/d && for i in $(seq 10 40); do echo $i > f$i; done && ln f20 link && ln f22 other");
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
        // one command, so that everything happens within the second the answers are good for: the listing, the
        // DPU's kernel made to forget what the listing told it (else it would ask nothing), the first lookups in
        // sorted order (the look-ahead), then changes through the mount and lookups of what changed
        String script = """
                cd /home/VMs/d && ls > /dev/null && echo 2 > /proc/sys/vm/drop_caches && stat f10 f11 > /dev/null
                rm link && stat -c '%s %h' f20
                echo more >> other && stat -c '%s %h' f22
                chmod 600 f30 && stat -c %a f30
                rm f31 && test ! -e f31 && echo f31 gone
                """;
        assertThat(dpu.run("sh", "-ec", script).stdout().lines()).as("the other name's link count, a write through"
                + " the other name, a mode change, a removal").containsExactly("3 1", "8 2", "600", "f31 gone");

        dpu.run("sh", "-c", "ls /home/VMs/d > /dev/null && echo 2 > /proc/sys/vm/drop_caches && stat /home/VMs/d/f32 /home/VMs/d/f33 > /dev/null");
        host.shell("chmod 640 /home/VMs/d/f34");
        report("a mode change after a look-ahead", () -> dpu.run("stat", "-c", "%a", "/home/VMs/d/f34").stdout().strip().equals("640"));
    }

    /**
     * In a directory made or listed through the mount, the client answers "no such name" itself for a second: what
     * the mount creates, removes and renames shows at once, what the HOST creates within the cache time.
     */
    @Test
    void namesKnownToBeAbsentShowChangesThroughTheMountAtOnceAndOnTheHostWithinTheCacheTime() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("mkdir /home/VMs/listed && touch /home/VMs/listed/there");
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
        // the kernel is made to forget its names before each check, so that the client is asked
        String script = """
                forget() { echo 2 > /proc/sys/vm/drop_caches; }
                cd /home/VMs && mkdir made && test ! -e made/a && touch made/a && forget && test -e made/a && echo made/a
                mkdir made/sub && forget && test -d made/sub && echo made/sub
                mv made/a made/b && forget && test ! -e made/a && test -e made/b && echo moved
                rm made/b && forget && test ! -e made/b && echo removed
                ls listed > /dev/null && test -e listed/there && test ! -e listed/new && touch listed/new \
                    && forget && test -e listed/new && echo listed/new
                """;
        assertThat(dpu.run("sh", "-ec", script).stdout().lines())
                .containsExactly("made/a", "made/sub", "moved", "removed", "listed/new");

        dpu.run("sh", "-c", "mkdir /home/VMs/fresh && test ! -e /home/VMs/fresh/late");
        host.shell("touch /home/VMs/fresh/late");
        report("a name made on the HOST in a directory made through the mount",
                () -> dpu.run("test", "-e", "/home/VMs/fresh/late").succeeded());
        dpu.run("sh", "-c", "ls /home/VMs/listed > /dev/null && test ! -e /home/VMs/listed/late");
        host.shell("touch /home/VMs/listed/late");
        report("a name made on the HOST in a directory listed through the mount",
                () -> dpu.run("test", "-e", "/home/VMs/listed/late").succeeded());
    }

    /** Waits for {@code change} to show and prints how long it took (the stated bound is 1 s; never asserted). */
    /** The HOST's /home/VMs, whitelisted for everything, mounted at the same path on the DPU. */
    private void mountHomeVMs() throws Exception {
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
    }

    /** Runs a python3 script on the DPU with one argument: the HOST's {@code hostPath}, seen through the engine's root. */
    private CommandResult pythonOnTheDpu(String script, String hostPath) throws Exception {
        return dpu.run(Duration.ofSeconds(60), "python3", "-c", script, "/proc/" + rfs.enginePid() + "/root" + hostPath);
    }

    private static void report(String change, ProxyPair.Check visible) throws Exception {
        long start = System.nanoTime();
        await(change + " to show on the DPU", visible);
        System.out.printf("%s showed on the DPU after %d ms%n", change, (System.nanoTime() - start) / 1_000_000);
    }

    @Test
    void socketNodesStayOnTheDpuAndUdsproxydMirrorsLiveInsideTheMount() throws Exception {
        String whitelist = RfsPair.allowAll("/var/lib/libvirt") + "[Udsconnect]\nPath=/var/lib/libvirt\n";
        rfs.whitelist(whitelist);
        host.shell("mkdir -p /var/lib/libvirt/qemu && echo config > /var/lib/libvirt/qemu/vm1.xml");
        servers.add(Background.udstool(host, "echo-server", "/var/lib/libvirt/qemu/host.sock"));
        rfs.startEngine();
        rfs.mount("/var/lib/libvirt", "/var/lib/libvirt").orThrow();
        assertThat(dpu.run("cat", "/var/lib/libvirt/qemu/vm1.xml").stdout()).isEqualTo("config\n");
        // the HOST's socket node means nothing on the DPU: it is not shown
        assertThat(dpu.run("ls", "/var/lib/libvirt/qemu").stdout().lines()).containsExactly("vm1.xml");

        // a server bound on the DPU inside the mount: reachable on the DPU, invisible on the HOST
        servers.add(Background.udstool(dpu, "echo-server", "/var/lib/libvirt/qemu/dpu.sock"));
        CommandResult echoed = dpu.run(Duration.ofSeconds(30), "python3", Project.UDSTOOL.toString(), "send",
                "/var/lib/libvirt/qemu/dpu.sock", "local");
        assertThat(echoed.stdout()).isEqualTo("local");
        assertThat(dpu.run("stat", "-c", "%F", "/var/lib/libvirt/qemu/dpu.sock").stdout().strip()).isEqualTo("socket");
        assertThat(host.run("ls", "/var/lib/libvirt/qemu").stdout().lines()).containsExactlyInAnyOrder("vm1.xml", "host.sock");

        // udsproxyd on both sides: the HOST's socket is mirrored into the mount, as a DPU-local node
        proxies = new ProxyPair(bed, rfs.logs());
        proxies.whitelist(dpu, "[Udsconnect]\nPath=/var/lib/libvirt\n");
        proxies.startBoth();
        await("the mirror of host.sock inside the rfs mount", () -> dpu.run("test", "-S", "/var/lib/libvirt/qemu/host.sock").succeeded());
        CommandResult crossed = dpu.run(Duration.ofSeconds(30), "python3", Project.UDSTOOL.toString(), "send",
                "/var/lib/libvirt/qemu/host.sock", "to the host");
        assertThat(crossed.stdout()).isEqualTo("to the host");
        // udsproxyd mirrors the DPU's server onto the HOST in turn; nothing else appears there (no .proxy files)
        await("the mirror of dpu.sock on the HOST", () -> host.run("test", "-S", "/var/lib/libvirt/qemu/dpu.sock").succeeded());
        assertThat(host.run("ls", "-a", "/var/lib/libvirt/qemu").stdout().lines())
                .containsExactlyInAnyOrder(".", "..", "vm1.xml", "host.sock", "dpu.sock");
        assertThat(host.run(Duration.ofSeconds(30), "python3", Project.UDSTOOL.toString(), "send",
                "/var/lib/libvirt/qemu/dpu.sock", "to the dpu").stdout()).isEqualTo("to the dpu");
    }

    @Test
    void qemuBootsAGuestWhoseKernelAndInitramfsLiveOnTheMount() throws Exception {
        CommandResult image = Commands.run(List.of(Project.HOME.resolve("scripts/guest-image").toString()), Duration.ofMinutes(5)).orThrow();
        Path guest = Path.of(image.stdout().strip());
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("cp " + guest.resolve("vmlinuz") + " " + guest.resolve("initramfs.gz") + " /home/VMs/");
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
        CommandResult boot = dpu.run(Duration.ofMinutes(3), "qemu-system-x86_64", "-accel", "tcg", "-m", "256",
                "-nographic", "-no-reboot", "-kernel", "/home/VMs/vmlinuz", "-initrd", "/home/VMs/initramfs.gz",
                "-append", "console=ttyS0 panic=-1 quiet dpuvirt.poweroff");
        assertThat(boot.stdout()).contains("DPUVIRT-GUEST-UP");
    }

}
