package io.dpuvirt.rfs.wire;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFlagsTest {
    private static final int O_RDWR = 2, O_CREAT = 0100, O_TRUNC = 01000, O_CLOEXEC = 02000000;

    @Test
    void anAarch64DpuAndAnX8664HostAgreeOnEveryFlag() {
        int common = O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC;
        int onAarch64 = common | 040000 | 0100000 | 0200000; // O_DIRECTORY | O_NOFOLLOW | O_DIRECT there
        int wire = OpenFlags.convert(onAarch64, OpenFlags.AARCH64, OpenFlags.X86_64);
        assertThat(wire).isEqualTo(common | 0200000 | 0400000 | 040000);
        assertThat(OpenFlags.convert(wire, OpenFlags.X86_64, OpenFlags.AARCH64)).isEqualTo(onAarch64);
    }

    @Test
    void thisMachineRoundTrips() {
        int flags = O_RDWR | OpenFlags.O_DIRECT | OpenFlags.O_NOFOLLOW;
        assertThat(OpenFlags.fromWire(OpenFlags.toWire(flags))).isEqualTo(flags);
    }
}
