package io.dpuvirt.cli.virsh;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.TerminalCalls;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The terminal on stdin in raw mode for a console (every key goes to the guest as typed, nothing echoed
 * locally), put back as it was on close. If virsh is ended by a signal meanwhile (SIGTERM, SIGINT, SIGHUP),
 * a shutdown hook puts it back: a shell left in raw mode shows nothing of what is typed. Through termios
 * on fd 0, as virsh does, so that raw mode is set on the terminal {@link #interactive()} found.
 */
final class TerminalMode implements AutoCloseable {
    private static final int STDIN = 0;

    private final MemorySegment saved;
    private final Thread restoreAtExit;

    private TerminalMode(MemorySegment saved, Thread restoreAtExit) {
        this.saved = saved;
        this.restoreAtExit = restoreAtExit;
    }

    /** Whether the user sits at a terminal: stdin is one, whatever stdout is (virsh's isatty(0)). */
    static boolean interactive() {
        return TerminalCalls.isTerminal(STDIN);
    }

    static TerminalMode raw() throws VirshException {
        // an automatic arena: the saved settings outlive this call, for close() and for the hook
        Arena arena = Arena.ofAuto();
        MemorySegment saved;
        try {
            saved = TerminalCalls.attributes(STDIN, arena);
        } catch (LinuxException e) {
            throw new VirshException("cannot set the terminal: " + e.getMessage());
        }
        Thread restoreAtExit = new Thread(() -> restoreAtExit(saved), "terminal-restore");
        Runtime.getRuntime().addShutdownHook(restoreAtExit);
        try {
            TerminalCalls.setAttributes(STDIN, TerminalCalls.raw(saved, arena));
        } catch (LinuxException e) {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
            throw new VirshException("cannot set the terminal: " + e.getMessage());
        }
        return new TerminalMode(saved, restoreAtExit);
    }

    /** Puts the terminal back; if that fails, the hook tries again at exit. */
    @Override
    public void close() throws VirshException {
        try {
            TerminalCalls.setAttributes(STDIN, saved);
        } catch (LinuxException e) {
            throw new VirshException("cannot restore the terminal: " + e.getMessage());
        }
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, and puts back the same settings
        }
    }

    private static void restoreAtExit(MemorySegment saved) {
        try {
            TerminalCalls.setAttributes(STDIN, saved);
        } catch (LinuxException e) {
            System.err.println("virsh: cannot restore the terminal: " + e.getMessage());
        }
    }
}
