package io.dpuvirt.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** virsh's start: its options and where its URI comes from, as Debian's virsh 9.0 does it. */
class VirshMainTest {
    private record Run(int status, String out, String err) {
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = VirshMain.run(args, Map.of(), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertThat(run("-c", "test:///default", "-l")).isEqualTo(new Run(1, "", "error: option '-l'/'--log' requires an argument\n"));
        assertThat(run("-e")).isEqualTo(new Run(1, "", "error: option '-e'/'--escape' requires an argument\n"));
        assertThat(run("-x", "uri")).isEqualTo(new Run(1, "", "error: unsupported option '-x'. See --help.\n"));
    }

    @Test
    void theVersionIsPrintedAsSoonAsItIsAskedFor() {
        assertThat(run("-v", "-x")).isEqualTo(new Run(0, "9.0.0\n", ""));
        assertThat(run("--version=short")).isEqualTo(new Run(0, "9.0.0\n", ""));
        assertThat(run("--version=long").out()).startsWith("Virsh command line tool");
    }

    @Test
    void virshsOwnVariableWinsOverLibvirts() {
        Map<String, String> both = Map.of("VIRSH_DEFAULT_CONNECT_URI", "test:///default", "LIBVIRT_DEFAULT_URI", "qemu:///system");
        assertThat(VirshMain.uri(Optional.empty(), both)).hasValue("test:///default");
        assertThat(VirshMain.uri(Optional.of("test:///other"), both)).hasValue("test:///other");
        assertThat(VirshMain.uri(Optional.empty(), Map.of("VIRSH_DEFAULT_CONNECT_URI", "", "LIBVIRT_DEFAULT_URI", "qemu:///system")))
                .hasValue("qemu:///system");
        assertThat(VirshMain.uri(Optional.of(""), both)).as("an empty -c leaves it to libvirt").hasValue("qemu:///system");
        assertThat(VirshMain.uri(Optional.empty(), Map.of("LIBVIRT_DEFAULT_URI", ""))).isEmpty();
    }
}
