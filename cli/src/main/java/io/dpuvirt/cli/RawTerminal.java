package io.dpuvirt.cli;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.TerminalCalls;
import io.dpuvirt.common.linux.WindowSize;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The terminal on stdin in raw mode (every key goes on as typed, ^C, ^Z and ^] included, nothing echoed locally),
 * for {@code virsh console} and {@code rexec -t}; put back as it was on {@link #close}, and for a while by
 * {@link #restore} (rexec stopped by ^Z). Through termios on fd 0, as virsh does. If the JVM ends meanwhile (SIGTERM,
 * SIGINT, SIGHUP), a shutdown hook puts it back: a shell left in raw mode shows nothing of what is typed.
 */
public final class RawTerminal implements AutoCloseable {
    private static final int STDIN = 0;
    private static final WindowSize FALLBACK = new WindowSize(24, 80, 0, 0);

    private final MemorySegment saved;
    private final MemorySegment raw;
    private final Thread restoreAtExit;
    private boolean isRaw;
    private boolean closed;

    private RawTerminal(MemorySegment saved, MemorySegment raw) {
        this.saved = saved;
        this.raw = raw;
        this.restoreAtExit = new Thread(() -> set(saved), "terminal-restore");
    }

    /** Whether the user sits at a terminal: stdin is one, whatever stdout is (virsh's isatty(0)). */
    public static boolean interactive() {
        return TerminalCalls.isTerminal(STDIN);
    }

    /** Raw mode on stdin, which must be a terminal ({@link #interactive}). */
    public static RawTerminal enter() throws LinuxException {
        // an automatic arena: the settings outlive this call, for restore, close and the hook
        Arena arena = Arena.ofAuto();
        MemorySegment saved = TerminalCalls.attributes(STDIN, arena);
        RawTerminal terminal = new RawTerminal(saved, TerminalCalls.raw(saved, arena));
        Runtime.getRuntime().addShutdownHook(terminal.restoreAtExit);
        try {
            TerminalCalls.setAttributes(STDIN, terminal.raw);
        } catch (LinuxException e) {
            Runtime.getRuntime().removeShutdownHook(terminal.restoreAtExit);
            throw e;
        }
        terminal.isRaw = true;
        return terminal;
    }

    /** The terminal's size, 24x80 when it has none. */
    public WindowSize size() {
        try {
            WindowSize size = TerminalCalls.windowSize(STDIN);
            return size.rows() == 0 || size.columns() == 0 ? FALLBACK : size;
        } catch (LinuxException e) {
            return FALLBACK;
        }
    }

    /** Back to how it was for a while (the program is stopped), until {@link #reapply}. */
    public synchronized void restore() {
        if (isRaw) {
            set(saved);
            isRaw = false;
        }
    }

    /** Raw again, unless closed meanwhile: a reapply racing the close must not leave the user's terminal raw. */
    public synchronized void reapply() {
        if (!isRaw && !closed) {
            set(raw);
            isRaw = true;
        }
    }

    /** Back to how it was, for good. */
    @Override
    public synchronized void close() {
        restore();
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(restoreAtExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook runs anyway, and puts back the same settings
        }
    }

    private static void set(MemorySegment termios) {
        try {
            TerminalCalls.setAttributes(STDIN, termios);
        } catch (LinuxException e) {
            // the terminal went away (hangup): nothing left to set
        }
    }
}
