package io.dpuvirt.common.net;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SockAddrTest {
    @Test
    void anIpv4LiteralIsFourDecimalNumbersUpTo255() {
        assertThat(SockAddr.Inet.of("169.254.77.1", 12121).toString()).contains("169.254.77.1");
        assertThat(SockAddr.Inet.of("0.0.0.0", 1).toString()).contains("0.0.0.0");
        for (String bad : new String[] {"999.1.1.1", "256.0.0.1", "1.2.3.010", "1.2.3", "1.2.3.4.5", "1..2.3", "a.b.c.d",
                "localhost", "1.2.3.4 ", "-1.2.3.4", "1.2.3.+4"}) {
            assertThatThrownBy(() -> SockAddr.Inet.of(bad, 1)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessage("not an IPv4 address: " + bad);
        }
    }
}
