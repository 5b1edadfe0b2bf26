package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Faults: the link going down (calls fail with EIO instead of hanging, and work again when it is back), the
 * engine restarting (the mount recovers, open files included), and umount with the link gone.
 */
class RfsFaultTest {
    private static final String BED = "rfsfault";

    private TestBed bed;
    private RfsPair rfs;
    private Side host;
    private Side dpu;

    @BeforeEach
    void up(TestInfo test) throws Exception {
        bed = TestBed.up(TestBedConfig.named(BED));
        host = bed.host();
        dpu = bed.dpu();
        rfs = new RfsPair(bed, Project.logDirectory("rfs-" + test.getTestMethod().orElseThrow().getName()));
        rfs.whitelist(RfsPair.allowAll("/home/VMs"));
        host.shell("echo 'image v1' > /home/VMs/disk.img");
        rfs.startEngine();
        rfs.mount("/home/VMs", "/home/VMs").orThrow();
    }

    @AfterEach
    void down() throws Exception {
        if (rfs != null) {
            rfs.close();
        }
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void callsFailWithEioWhileTheLinkIsDownAndWorkAgainWhenItReturns() throws Exception {
        assertThat(dpu.run("cat", "/home/VMs/disk.img").stdout()).isEqualTo("image v1\n");
        bed.cutLink(Side.Role.HOST);
        try {
            long start = System.nanoTime();
            // a name never looked up: the DPU must ask the HOST, which does not answer
            CommandResult lookup = dpu.run(Duration.ofSeconds(60), "stat", "/home/VMs/never-seen");
            CommandResult create = dpu.run(Duration.ofSeconds(60), "touch", "/home/VMs/new-file");
            System.out.printf("with the link down, two calls failed after %d ms%n", (System.nanoTime() - start) / 1_000_000);
            assertThat(lookup.stderr()).contains("Input/output error");
            assertThat(create.stderr()).contains("Input/output error");
        } finally {
            bed.restoreLink(Side.Role.HOST);
        }
        long back = System.nanoTime();
        await("the mount to work again", () -> dpu.run("touch", "/home/VMs/new-file").succeeded());
        System.out.printf("the mount worked again %d ms after the link came back%n", (System.nanoTime() - back) / 1_000_000);
        assertThat(host.run("test", "-f", "/home/VMs/new-file").succeeded()).isTrue();
    }

    @Test
    void theMountRecoversFromAnEngineRestartOpenFilesIncluded() throws Exception {
        // a process on the DPU keeps the image open across the restart, as qemu's monitor or libvirt would
        String script = """
                import os, sys
                fd = os.open("/home/VMs/disk.img", os.O_RDWR)
                print("opened", flush=True)
                for line in sys.stdin:
                    try:
                        os.pwrite(fd, line.strip().encode(), 0)
                        os.fsync(fd)
                        print("wrote", flush=True)
                    except OSError as e:
                        print("error", e.errno, flush=True)
                """;
        Process writer = dpu.processBuilder("python3", "-c", script).redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter in = new PrintWriter(new OutputStreamWriter(writer.getOutputStream(), StandardCharsets.UTF_8), true)) {
            assertThat(out.readLine()).isEqualTo("opened");
            rfs.killEngine();
            rfs.startEngine();
            await("the mount to reach the new engine", () -> dpu.run("ls", "/home/VMs").succeeded());
            in.println("image v2");
            assertThat(out.readLine()).isEqualTo("wrote");
            assertThat(host.run("cat", "/home/VMs/disk.img").stdout()).startsWith("image v2");
        } finally {
            writer.destroyForcibly();
            writer.waitFor(10, TimeUnit.SECONDS);
        }
        assertThat(dpu.run("sh", "-c", "echo fresh > /home/VMs/after-restart && cat /home/VMs/after-restart").stdout()).isEqualTo("fresh\n");
    }

    @Test
    void umountWorksWithTheLinkGone() throws Exception {
        long daemon = rfs.daemonPid("/home/VMs");
        bed.cutLink(Side.Role.HOST);
        try {
            CommandResult umount = dpu.run(Duration.ofSeconds(60), "umount", "/home/VMs");
            assertThat(umount.exitStatus()).as(umount.stderr()).isZero();
        } finally {
            bed.restoreLink(Side.Role.HOST);
        }
        assertThat(dpu.run("findmnt", "-t", "fuse.qtfs").stdout()).isEmpty();
        await("the daemon to end", () -> ProcessHandle.of(daemon).map(p -> !p.isAlive()).orElse(true));
        assertThat(List.of(dpu.run("findmnt", "-n", "-o", "FSTYPE", "/home/VMs").stdout().strip())).containsExactly("tmpfs");
    }
}
