package io.dpuvirt.cli;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.SignalCalls;
import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.linux.TerminalCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.foreign.Arena;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDWR;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static org.assertj.core.api.Assertions.assertThat;

/** The terminal as virsh and rexec -t see and set it, in JVMs of their own ({@link RawTerminalProbe}) on a pseudo-terminal. */
class RawTerminalTest {
    private TerminalCalls.Pty pty;

    @BeforeEach
    void openPty() throws Exception {
        pty = TerminalCalls.openPty();
    }

    @AfterEach
    void closePty() {
        Libc.close(pty.master());
    }

    private static ProcessBuilder probe(String mode) {
        return new ProcessBuilder(ProcessHandle.current().info().command().orElseThrow(), "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), RawTerminalProbe.class.getName(), mode)
                .redirectError(ProcessBuilder.Redirect.INHERIT);
    }

    private static String firstLine(Process probe) throws IOException {
        return new BufferedReader(new InputStreamReader(probe.getInputStream(), StandardCharsets.UTF_8)).readLine();
    }

    @Test
    void stdinOnATerminalIsInteractiveWhereverStdoutGoes() throws Exception {
        assertThat(firstLine(probe("interactive").redirectInput(new File(pty.slavePath())).start()))
                .as("stdout a pipe").isEqualTo("true");
        assertThat(firstLine(probe("interactive").start())).as("stdin a pipe").isEqualTo("false");
    }

    @ParameterizedTest
    @ValueSource(ints = {Signals.SIGTERM, Signals.SIGINT, Signals.SIGHUP})
    void aSignalInRawModePutsTheTerminalBack(int signal) throws Exception {
        int terminal = Libc.open(pty.slavePath(), O_RDWR | O_NOCTTY | O_CLOEXEC, 0);
        try (Arena arena = Arena.ofConfined()) {
            byte[] before = TerminalCalls.attributes(terminal, arena).toArray(JAVA_BYTE);
            Process probe = probe("raw").redirectInput(new File(pty.slavePath())).start();
            assertThat(firstLine(probe)).isEqualTo("raw");
            assertThat(TerminalCalls.attributes(terminal, arena).toArray(JAVA_BYTE)).isNotEqualTo(before);
            SignalCalls.kill((int) probe.pid(), signal);
            assertThat(probe.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(TerminalCalls.attributes(terminal, arena).toArray(JAVA_BYTE)).as("put back").isEqualTo(before);
        } finally {
            Libc.close(terminal);
        }
    }
}
