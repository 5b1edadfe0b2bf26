package io.dpuvirt.common.linux;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OpenFlagsTest {
    @Test
    void anAarch64DpuAndAnX8664HostAgreeOnEveryFlag() {
        int common = OpenFlags.O_RDWR | OpenFlags.O_CREAT | OpenFlags.O_TRUNC | OpenFlags.O_CLOEXEC | OpenFlags.O_SYNC;
        int onAarch64 = common | 040000 | 0100000 | 0200000; // O_DIRECTORY | O_NOFOLLOW | O_DIRECT there
        int wire = OpenFlags.convert(onAarch64, OpenFlags.AARCH64, OpenFlags.X86_64);
        assertThat(wire).isEqualTo(common | 0200000 | 0400000 | 040000);
        assertThat(OpenFlags.convert(wire, OpenFlags.X86_64, OpenFlags.AARCH64)).isEqualTo(onAarch64);
    }

    @Test
    void theValuesAreThoseOfThisMachinesKernelHeaders() {
        // x86-64's <asm-generic/fcntl.h> and <asm/fcntl.h>; aarch64 differs only in the four converted flags
        assertThat(new int[] {OpenFlags.O_CREAT, OpenFlags.O_EXCL, OpenFlags.O_NOCTTY, OpenFlags.O_TRUNC, OpenFlags.O_APPEND,
                OpenFlags.O_NONBLOCK, OpenFlags.O_DSYNC, OpenFlags.O_NOATIME, OpenFlags.O_CLOEXEC, OpenFlags.O_PATH, OpenFlags.O_SYNC})
                .containsExactly(0x40, 0x80, 0x100, 0x200, 0x400, 0x800, 0x1000, 0x40000, 0x80000, 0x200000, 0x101000);
    }

    @Test
    void thisMachineRoundTrips() {
        int flags = OpenFlags.O_RDWR | OpenFlags.O_DIRECT | OpenFlags.O_NOFOLLOW;
        assertThat(OpenFlags.fromWire(OpenFlags.toWire(flags))).isEqualTo(flags);
    }
}
