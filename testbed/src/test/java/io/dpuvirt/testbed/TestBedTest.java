package io.dpuvirt.testbed;

import io.dpuvirt.common.exec.Commands;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestBedTest {
    private static TestBed bed;

    @BeforeAll
    static void up() throws Exception {
        bed = TestBed.up(TestBedConfig.named("tbtest"));
    }

    @AfterAll
    static void down() throws Exception {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    void eachSideKnowsWhichItIsAndHasPrivateDirectories() throws Exception {
        assertThat(bed.host().run("cat", "/run/dpuvirt-side").stdout()).isEqualTo("host\n");
        assertThat(bed.dpu().run("cat", "/run/dpuvirt-side").stdout()).isEqualTo("dpu\n");
        bed.host().shell("echo host-only > /var/lib/libvirt/marker");
        assertThat(bed.dpu().run("test", "-e", "/var/lib/libvirt/marker").exitStatus()).isEqualTo(1);
        assertThat(bed.host().run("cat", "/var/lib/libvirt/marker").stdout()).isEqualTo("host-only\n");
        assertThat(Files.exists(Path.of("/var/lib/libvirt/marker"))).isFalse();
    }

    @Test
    void sidesReachEachOtherOverTheLinkOnly() throws Exception {
        assertThat(bed.dpu().run("ping", "-c", "1", "-W", "2", bed.host().address()).exitStatus()).isZero();
        assertThat(bed.host().run("ip", "-o", "-4", "addr", "show").stdout()).contains("169.254.77.1/24").doesNotContain("169.254.77.2");
    }

    @Test
    void theLinkCarriesPacketsOf64KiBUnfragmented() throws Exception {
        assertThat(bed.dpu().run("ip", "-o", "link", "show", "dev", bed.config().vethName(Side.Role.DPU)).stdout())
                .contains(" mtu " + TestBedConfig.DEFAULT_LINK_MTU + " ");
        // 65,507 bytes of payload fill a 65,535-byte IPv4 packet; -M do forbids fragmenting it
        assertThat(bed.dpu().run("ping", "-c", "1", "-W", "2", "-M", "do", "-s", "65507", bed.host().address()).exitStatus()).isZero();
    }

    @Test
    void tcpAcrossTheLinkUsesCubicWhateverTheMachinesDefault() throws Exception {
        // a connection held open across the link, its congestion control read from ss on the DPU side
        String listener = "exec python3 -c 'import socket,time; s=socket.create_server((\"" + bed.host().address()
                + "\", 7399)); c=s.accept()[0]; time.sleep(5)'";
        Process server = new ProcessBuilder(bed.host().command(java.util.List.of("sh", "-c", listener))).start();
        try {
            String client = "python3 -c 'import socket,subprocess,time; time.sleep(0.5); c=socket.create_connection((\""
                    + bed.host().address() + "\", 7399)); print(subprocess.run([\"ss\",\"-tni\",\"dport = :7399\"],"
                    + "capture_output=True,text=True).stdout)'";
            assertThat(bed.dpu().shell(client).stdout()).contains(" cubic ");
        } finally {
            server.destroyForcibly().waitFor();
        }
    }

    @Test
    void aLinkCutAndRestoredCarriesPacketsAgainWithItsCongestionControl() throws Exception {
        bed.cutLink(Side.Role.DPU);
        try {
            assertThat(bed.dpu().run("ping", "-c", "1", "-W", "1", bed.host().address()).exitStatus()).isNotZero();
        } finally {
            bed.restoreLink(Side.Role.DPU);
        }
        // the kernel made the connected route anew when the link came up, without the congestion control
        assertThat(bed.dpu().run("ip", "route", "show", "dev", bed.config().vethName(Side.Role.DPU)).stdout())
                .contains("congctl cubic");
        assertThat(bed.dpu().run("ping", "-c", "1", "-W", "2", bed.host().address()).exitStatus()).isZero();
    }

    @Test
    void theLinksNetworkIsTheAddressWithTheHostBitsCleared() {
        assertThat(TestBedConfig.named("x").linkNetwork()).isEqualTo("169.254.77.0/24");
        assertThat(new TestBedConfig("x", "10.1.2.3", "10.1.2.4", 30, java.util.List.of(), 1500, "reno").linkNetwork())
                .isEqualTo("10.1.2.0/30");
    }

    @Test
    void aCongestionControlThatIsNotANameIsRefused() {
        assertThatThrownBy(() -> TestBedConfig.named("x").withLinkCongestionControl("cubic; reboot"))
                .hasMessage("congestion control must be a name such as cubic or bbr: 'cubic; reboot'");
        assertThatThrownBy(() -> TestBedConfig.named("x").withLinkCongestionControl(""))
                .hasMessageStartingWith("congestion control must be a name");
    }

    @Test
    void aLinkMtuOutsideWhatIpv4AndVethTakeIsRefused() {
        assertThatThrownBy(() -> TestBedConfig.named("x").withLinkMtu(65536)).hasMessage("link MTU must be 68 to 65535: 65536");
        assertThatThrownBy(() -> TestBedConfig.named("x").withLinkMtu(67)).hasMessage("link MTU must be 68 to 65535: 67");
    }

    @Test
    void downKillsWhatIsLeftAndRemovesEverything() throws Exception {
        TestBed other = TestBed.up(TestBedConfig.named("tbdown"));
        Process sleeper = other.dpu().processBuilder("sleep", "600").start();
        TestBed.down("tbdown");
        assertThat(sleeper.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Commands.run("ip", "netns", "list").stdout()).doesNotContain("dpuvirt-tbdown");
        assertThat(Files.exists(TestBed.STATE_ROOT.resolve("tbdown"))).isFalse();
        TestBed.down("tbdown"); // idempotent
    }

    @Test
    void startedProcessHasTheCommandsPid() throws Exception {
        Process process = bed.host().processBuilder("sh", "-c", "echo $$").start();
        String pid = new String(process.getInputStream().readAllBytes()).strip();
        assertThat(process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
        assertThat(Long.parseLong(pid)).isEqualTo(process.pid());
        assertThat(bed.host().run(Duration.ofSeconds(5), "true").succeeded()).isTrue();
    }
}
