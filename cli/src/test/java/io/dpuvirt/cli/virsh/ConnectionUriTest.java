package io.dpuvirt.cli.virsh;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** What the client reads from a connection URI: the socket it connects to and the URI the daemon is told. */
class ConnectionUriTest {
    @Test
    void parameterNamesAndValuesArePercentDecoded() throws Exception {
        ConnectionUri uri = ConnectionUri.parse("test:///default?socket=/tmp/my%20dir/sock");
        assertThat(uri.socket()).isEqualTo(Path.of("/tmp/my dir/sock"));
        assertThat(uri.remoteName()).isEqualTo("test:///default");
        assertThat(ConnectionUri.parse("test:///default?s%6Fcket=/tmp/a+b%2Bc%C3%A9").socket())
                .isEqualTo(Path.of("/tmp/a+b+cé"));
        assertThat(ConnectionUri.parse("test:///default?mode=direct&socket=/s&other=x%20y").remoteName())
                .as("what the daemon is told is kept as written").isEqualTo("test:///default?other=x%20y");
    }
}
