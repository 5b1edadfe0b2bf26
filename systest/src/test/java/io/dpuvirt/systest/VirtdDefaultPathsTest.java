package io.dpuvirt.systest;

import io.dpuvirt.common.exec.CommandResult;
import io.dpuvirt.testbed.Side;
import io.dpuvirt.testbed.TestBed;
import io.dpuvirt.testbed.TestBedConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.systest.ProxyPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * bin/virtd with its defaults — libvirt's socket path, files under / — on one side of a test bed, whose
 * private /run and /etc/dpuvirt keep it from the machine's: unmodified clients find it without being told
 * where it is.
 */
class VirtdDefaultPathsTest {
    private static final String SOCKET = "/var/run/libvirt/libvirt-sock";

    private TestBed bed;
    private Side dpu;
    private Process virtd;

    @BeforeEach
    void up() throws Exception {
        bed = TestBed.up(TestBedConfig.named("virtd"));
        dpu = bed.dpu();
        Path log = Project.logDirectory("virtd-default-paths").resolve("virtd.log");
        virtd = dpu.processBuilder(Project.bin("virtd"), "--uri-default", "test:///default")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("virtd's socket at " + SOCKET, () -> dpu.run("test", "-S", SOCKET).succeeded());
    }

    @AfterEach
    void down() throws Exception {
        if (virtd != null) {
            virtd.destroy();
            virtd.waitFor(20, TimeUnit.SECONDS);
        }
        if (bed != null) {
            bed.close();
        }
    }

    /** A virsh in the bed's DPU, with a HOME of its own and, unless given, no default URI. */
    private CommandResult virsh(String binary, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("env", "-u", "LIBVIRT_DEFAULT_URI", "-u", "VIRSH_DEFAULT_CONNECT_URI",
                "HOME=/run/virsh-home", binary));
        command.addAll(List.of(arguments));
        dpu.run("mkdir", "-p", "/run/virsh-home");
        return dpu.run(command.toArray(String[]::new));
    }

    @Test
    void clientsFindVirtdAtLibvirtsSocketPath() throws Exception {
        CommandResult debianList = virsh(VirshRunner.DEBIAN.toString(), "-c", "test+unix:///default", "list", "--all");
        assertThat(debianList.stdout()).isEqualTo(" Id   Name   State\n----------------------\n 1    test   running\n\n");
        CommandResult javaList = virsh(Project.bin("virsh"), "-c", "test+unix:///default", "list", "--all");
        assertThat(javaList.stdout()).isEqualTo(debianList.stdout());

        for (String binary : List.of(VirshRunner.DEBIAN.toString(), Project.bin("virsh"))) {
            // qemu:///system reaches virtd's qemu driver, which has no domain yet
            CommandResult qemu = virsh(binary, "-c", "qemu:///system", "list");
            assertThat(qemu.stdout()).as(binary + " reached virtd: " + qemu.stderr())
                    .isEqualTo(" Id   Name   State\n--------------------\n\n");
        }
        // no URI at all: the daemon's default (--uri-default), as libvirtd's uri_default
        assertThat(virsh(Project.bin("virsh"), "uri").stdout()).isEqualTo("test:///default\n\n");
        assertThat(virsh(Project.bin("virsh"), "list", "--name").stdout()).isEqualTo("test\n\n");

        assertThat(dpu.run("test", "-f", "/etc/dpuvirt/test/test.xml").succeeded()).isTrue();
        assertThat(dpu.run("test", "-f", "/run/dpuvirt/test/test.state").succeeded()).isTrue();
        assertThat(dpu.run("stat", "-c", "%a", SOCKET).stdout().strip()).isEqualTo("600");
    }
}
