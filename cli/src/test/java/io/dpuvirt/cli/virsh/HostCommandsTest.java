package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.remote.NodeGetInfoRet;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** nodeinfo's lines, as Debian's virsh 9.0 prints them for libvirt's test driver with a node of its own. */
class HostCommandsTest {
    @Test
    void nodeinfoLeavesOutAFrequencyOfZero() {
        assertThat(HostCommands.nodeinfo(new NodeGetInfoRet("i686", 2_097_152, 2, 0, 1, 1, 2, 1))).isEqualTo("""
                CPU model:           i686
                CPU(s):              2
                CPU socket(s):       1
                Core(s) per socket:  2
                Thread(s) per core:  1
                NUMA cell(s):        1
                Memory size:         2097152 KiB
                """);
        assertThat(HostCommands.nodeinfo(new NodeGetInfoRet("i686", 2_097_152, 2, 1400, 1, 1, 2, 1)))
                .contains("CPU(s):              2\nCPU frequency:       1400 MHz\nCPU socket(s):       1\n");
    }
}
