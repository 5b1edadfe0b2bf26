package io.dpuvirt.cli.rexec;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.TerminalCalls;
import io.dpuvirt.common.linux.WindowSize;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * rexec -t on a terminal: the local terminal in raw mode, so that every key (^C, ^Z, ^\ included) reaches the
 * remote terminal, whose own line discipline then acts on it; and its size, for the remote terminal to follow.
 */
final class TerminalMode {
    private static final int STDIN = 0;
    private static final WindowSize FALLBACK = new WindowSize(24, 80, 0, 0);

    private final MemorySegment saved;
    private final MemorySegment raw;
    private boolean isRaw;
    private boolean finished;

    private TerminalMode(MemorySegment saved, MemorySegment raw) {
        this.saved = saved;
        this.raw = raw;
    }

    /** Raw mode on stdin, or null when stdin is no terminal (then -t gives the program pipes, as without it). */
    static TerminalMode enterIfTerminal() throws LinuxException {
        if (!TerminalCalls.isTerminal(STDIN)) {
            return null;
        }
        Arena arena = Arena.global();
        MemorySegment saved = TerminalCalls.attributes(STDIN, arena);
        TerminalMode mode = new TerminalMode(saved, TerminalCalls.raw(saved, arena));
        mode.reapply();
        return mode;
    }

    WindowSize size() {
        try {
            WindowSize size = TerminalCalls.windowSize(STDIN);
            return size.rows() == 0 || size.columns() == 0 ? FALLBACK : size;
        } catch (LinuxException e) {
            return FALLBACK;
        }
    }

    /** Back to how it was: before rexec exits, and while it is stopped. */
    synchronized void restore() {
        if (isRaw) {
            set(saved);
            isRaw = false;
        }
    }

    /**
     * The last restore, before rexec exits: a reapply after it (the signal thread, continued from a stop at the
     * moment the program ended) must not leave the user's terminal raw.
     */
    synchronized void finish() {
        restore();
        finished = true;
    }

    synchronized void reapply() {
        if (!isRaw && !finished) {
            set(raw);
            isRaw = true;
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
