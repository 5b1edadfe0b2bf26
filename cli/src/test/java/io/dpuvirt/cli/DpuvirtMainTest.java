package io.dpuvirt.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code dpuvirt testbed up}'s arguments: a wrong one is a usage error (status 2) before anything is made. */
class DpuvirtMainTest {
    private static int testbedUp(String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "testbed";
        all[1] = "up";
        System.arraycopy(args, 0, all, 2, args.length);
        return DpuvirtMain.run(all);
    }

    @Test
    void aLinkMtuThatIsNoNumberOrOutOfRangeIsAUsageError() {
        assertThat(testbedUp("mtubad", "--mtu", "65536")).isEqualTo(ExitStatus.USAGE);
        assertThat(testbedUp("mtubad", "--mtu", "67")).isEqualTo(ExitStatus.USAGE);
        assertThat(testbedUp("mtubad", "--mtu", "jumbo")).isEqualTo(ExitStatus.USAGE);
        assertThat(testbedUp("mtubad", "--mtu")).isEqualTo(ExitStatus.USAGE);
    }

    @Test
    void aCongestionControlThatIsMissingOrNoNameIsAUsageError() {
        assertThat(testbedUp("ccbad", "--congestion-control")).isEqualTo(ExitStatus.USAGE);
        assertThat(testbedUp("ccbad", "--congestion-control", "../cubic")).isEqualTo(ExitStatus.USAGE);
    }

    @Test
    void anArgumentAfterTheNameIsAUsageError() {
        assertThat(testbedUp("mtubad", "extra")).isEqualTo(ExitStatus.USAGE);
    }
}
