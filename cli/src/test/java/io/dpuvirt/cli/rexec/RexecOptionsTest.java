package io.dpuvirt.cli.rexec;

import io.dpuvirt.cli.UsageException;
import io.dpuvirt.fabric.rexec.ByteString;
import io.dpuvirt.fabric.rexec.DetachedFiles;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** rexec's options end at the program: whatever follows belongs to the program, byte for byte. */
class RexecOptionsTest {
    private static RexecOptions parse(String... args) throws UsageException {
        return RexecOptions.parse(Arrays.stream(args).map(ByteString::of).toList());
    }

    private static List<String> command(RexecOptions options) {
        return options.command().stream().map(ByteString::toString).toList();
    }

    @Test
    void theOriginalsCommandLine() throws Exception {
        RexecOptions options = parse("/usr/bin/qemu-kvm", "-name", "vm 1", "-t", "--env", "");
        assertThat(command(options)).containsExactly("/usr/bin/qemu-kvm", "-name", "vm 1", "-t", "--env", "");
        assertThat(options.terminal()).isFalse();
        assertThat(options.environment()).isNull();
        assertThat(options.directory()).isNull();
        assertThat(options.socket()).isNull();
    }

    @Test
    void optionsBeforeTheProgram() throws Exception {
        RexecOptions options = parse("-t", "-n", "-e", "TERM", "--env=A=b c", "-C", "/srv", "--socket", "/run/x.sock", "--fd", "5",
                "--fd=7", "kill", "-TERM", "42");
        assertThat(options.terminal()).isTrue();
        assertThat(options.stdinFromNull()).isTrue();
        assertThat(options.environment()).extracting(ByteString::toString).containsExactly("TERM", "A=b c");
        assertThat(options.directory()).hasToString("/srv");
        assertThat(options.socket()).isEqualTo(Path.of("/run/x.sock"));
        assertThat(options.fds()).containsExactly(5, 7);
        assertThat(command(options)).containsExactly("kill", "-TERM", "42");
    }

    @Test
    void noEnvironmentAndDoubleDash() throws Exception {
        RexecOptions options = parse("-i", "--", "-strange-program-name");
        assertThat(options.environment()).isEmpty();
        assertThat(command(options)).containsExactly("-strange-program-name");
    }

    @Test
    void argumentsStayBytes() throws Exception {
        ByteString notUtf8 = ByteString.of(new byte[] {(byte) 0xff, 'x'});
        RexecOptions options = RexecOptions.parse(List.of(ByteString.of("-C"), notUtf8, ByteString.of("/bin/echo"), notUtf8));
        assertThat(options.directory()).isEqualTo(notUtf8);
        assertThat(options.command()).containsExactly(ByteString.of("/bin/echo"), notUtf8);
    }

    @Test
    void mistakesAreUsageErrors() throws Exception {
        assertThatThrownBy(() -> parse()).isInstanceOf(UsageException.class).hasMessage("no PROGRAM given");
        assertThatThrownBy(() -> parse("-x", "ls")).hasMessage("unknown option -x (options go before PROGRAM)");
        assertThatThrownBy(() -> parse("-C")).hasMessage("option -C needs a value");
        assertThatThrownBy(() -> parse("--tty=yes", "ls")).hasMessage("option --tty takes no value");
        assertThatThrownBy(() -> parse("--fd", "three", "ls")).hasMessage("--fd needs a descriptor number, not 'three'");
        assertThat(parse("--help").help()).isTrue();
    }

    @Test
    void detachWithOutputFilesOnTheServer() throws Exception {
        RexecOptions options = parse("--detach", "--stdout", "/var/log/vm1.log", "--stderr=/var/log/vm1.err", "qemu-kvm", "--stdout", "x");
        assertThat(options.detached()).isEqualTo(new DetachedFiles(ByteString.of("/var/log/vm1.log"), ByteString.of("/var/log/vm1.err"), ByteString.EMPTY));
        assertThat(options.stdinFromNull()).isTrue();
        assertThat(command(options)).containsExactly("qemu-kvm", "--stdout", "x");
        assertThat(parse("--detach", "sleep", "9").detached()).isEqualTo(DetachedFiles.DISCARD);
        assertThat(parse("sleep", "9").detached()).isNull();

        assertThatThrownBy(() -> parse("--stdout", "/var/log/x", "ls")).hasMessageStartingWith("--stdout and --stderr go with --detach");
        assertThatThrownBy(() -> parse("--detach", "-t", "ls")).hasMessageStartingWith("--detach and -t contradict each other");
        assertThatThrownBy(() -> parse("--detach", "--stderr", "relative.log", "ls"))
                .hasMessage("--stdout and --stderr need absolute paths on the server's machine");
    }
}
