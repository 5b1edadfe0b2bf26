package io.dpuvirt.cli.virsh;

import io.dpuvirt.common.linux.TerminalCalls;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The terminal in raw mode for a console (every key goes to the guest as typed, nothing echoed
 * locally), put back as it was on close. Through stty, which every Linux has, rather than termios
 * calls: a short-lived client has no use for more.
 */
final class TerminalMode implements AutoCloseable {
    private static final File TTY = new File("/dev/tty");

    private final String saved;

    private TerminalMode(String saved) {
        this.saved = saved;
    }

    /** Whether the user sits at a terminal: stdin is one, whatever stdout is (virsh's isatty(0)). */
    static boolean interactive() {
        return TerminalCalls.isTerminal(0);
    }

    static TerminalMode raw() throws VirshException {
        String saved = stty("-g").strip();
        stty("raw", "-echo");
        return new TerminalMode(saved);
    }

    @Override
    public void close() throws VirshException {
        stty(saved);
    }

    private static String stty(String... arguments) throws VirshException {
        String[] command = new String[arguments.length + 1];
        command[0] = "stty";
        System.arraycopy(arguments, 0, command, 1, arguments.length);
        try {
            Process process = new ProcessBuilder(command).redirectInput(TTY)
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (process.waitFor() != 0) {
                throw new VirshException("cannot set the terminal: stty " + String.join(" ", arguments) + " failed");
            }
            return out;
        } catch (IOException e) {
            throw new VirshException("cannot set the terminal: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VirshException("interrupted while setting the terminal");
        }
    }
}
