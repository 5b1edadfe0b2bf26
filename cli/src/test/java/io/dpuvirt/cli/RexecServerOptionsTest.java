package io.dpuvirt.cli;

import io.dpuvirt.fabric.rexec.RexecServerConfig;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rexec_server's directory options: repeatable, absolute, and what they are when absent. */
class RexecServerOptionsTest {
    private static RexecServerConfig configure(String... args) throws UsageException {
        return RexecServerMain.configure(new Arguments(args));
    }

    @Test
    void withoutOptionsFileRequestsChangeNothing() throws Exception {
        RexecServerConfig config = configure();
        assertThat(config.stateDirectories()).isEmpty();
        assertThat(config.readableDirectories()).isEmpty();
        assertThat(config.outputDirectories()).isEqualTo(RexecServerConfig.DEFAULT_OUTPUT_DIRECTORIES);
    }

    @Test
    void directoryOptionsRepeat() throws Exception {
        RexecServerConfig config = configure("--state-dir", "/run/libvirt", "--readable=/usr/share/OVMF", "--state-dir=/var/lib/libvirt",
                "--output-dir", "/var/log/libvirt", "--readable", "/usr/share/qemu", "-s", "/run/x.sock");
        assertThat(config.stateDirectories()).containsExactly(Path.of("/run/libvirt"), Path.of("/var/lib/libvirt"));
        assertThat(config.readableDirectories()).containsExactly(Path.of("/usr/share/OVMF"), Path.of("/usr/share/qemu"));
        assertThat(config.outputDirectories()).containsExactly(Path.of("/var/log/libvirt"));
        assertThat(config.socket()).isEqualTo(Path.of("/run/x.sock"));
    }

    @Test
    void directoriesAreAbsolute() {
        assertThatThrownBy(() -> configure("--state-dir", "run/libvirt")).isInstanceOf(UsageException.class)
                .hasMessage("--state-dir needs an absolute directory, not 'run/libvirt'");
        assertThatThrownBy(() -> configure("--readable", "share")).hasMessage("--readable needs an absolute directory, not 'share'");
        assertThatThrownBy(() -> configure("--state-dir")).hasMessage("option --state-dir needs a value");
    }

    @Test
    void theUsageNamesThem() {
        PrintStream original = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            assertThat(RexecServerMain.run(new String[] {"--help"})).isZero();
        } finally {
            System.setOut(original);
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("--state-dir DIR", "--readable DIR", "--output-dir DIR");
    }
}
