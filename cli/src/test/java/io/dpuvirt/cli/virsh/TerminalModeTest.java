package io.dpuvirt.cli.virsh;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.TerminalCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** The terminal as virsh sees and sets it, in JVMs of their own ({@link TerminalModeProbe}) on a pseudo-terminal. */
class TerminalModeTest {
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
                "-cp", System.getProperty("java.class.path"), TerminalModeProbe.class.getName(), mode)
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
}
