package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_NOCTTY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDWR;

/** Terminals: pseudo-terminal pairs, raw mode (termios) and window sizes (TIOCGWINSZ, TIOCSWINSZ). */
public final class TerminalCalls {
    private static final long TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414;
    private static final int TCSADRAIN = 1;
    /** struct termios is 60 bytes on Linux; a little more does no harm. */
    private static final int TERMIOS_BYTES = 64;
    private static final MethodHandle POSIX_OPENPT = Downcalls.errnoCall("posix_openpt", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle GRANTPT = Downcalls.errnoCall("grantpt", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle UNLOCKPT = Downcalls.errnoCall("unlockpt", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle PTSNAME_R = Downcalls.plainCall("ptsname_r", JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG);
    private static final MethodHandle ISATTY = Downcalls.plainCall("isatty", JAVA_INT, JAVA_INT);
    private static final MethodHandle TCGETATTR = Downcalls.errnoCall("tcgetattr", -1, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle TCSETATTR = Downcalls.errnoCall("tcsetattr", -1, JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS);
    private static final MethodHandle CFMAKERAW = Downcalls.voidCall("cfmakeraw", ADDRESS);
    private static final MethodHandle IOCTL = Downcalls.errnoCall("ioctl", 2, JAVA_INT, JAVA_INT, JAVA_LONG, ADDRESS);

    private TerminalCalls() {
    }

    /** A pseudo-terminal: the master end (close-on-exec, owned by the caller) and the path of its slave end. */
    public record Pty(int master, String slavePath) {
    }

    /** posix_openpt, grantpt, unlockpt, ptsname_r: a fresh pty pair whose slave a child can open. */
    public static Pty openPty() throws LinuxException {
        int master = (int) Downcalls.checked("posix_openpt", null, c -> (int) POSIX_OPENPT.invokeExact(c, O_RDWR | O_NOCTTY | O_CLOEXEC));
        try (Arena arena = Arena.ofConfined()) {
            Downcalls.checked("grantpt", null, c -> (int) GRANTPT.invokeExact(c, master));
            Downcalls.checked("unlockpt", null, c -> (int) UNLOCKPT.invokeExact(c, master));
            MemorySegment name = arena.allocate(128);
            Downcalls.checkedResult("ptsname_r", null, c -> (int) PTSNAME_R.invokeExact(master, name, name.byteSize()));
            return new Pty(master, name.getString(0, StandardCharsets.US_ASCII));
        } catch (LinuxException e) {
            Libc.close(master);
            throw e;
        }
    }

    public static boolean isTerminal(int fd) {
        try {
            return (int) ISATTY.invokeExact(fd) == 1;
        } catch (Throwable t) {
            throw new AssertionError("downcall isatty threw", t);
        }
    }

    /** The terminal's current settings (struct termios), to restore later. */
    public static MemorySegment attributes(int fd, Arena arena) throws LinuxException {
        MemorySegment termios = arena.allocate(TERMIOS_BYTES, 8);
        Downcalls.checked("tcgetattr", "fd " + fd, c -> (int) TCGETATTR.invokeExact(c, fd, termios));
        return termios;
    }

    /** Applies {@code termios} once pending output is written (TCSADRAIN). */
    public static void setAttributes(int fd, MemorySegment termios) throws LinuxException {
        Downcalls.checked("tcsetattr", "fd " + fd, c -> (int) TCSETATTR.invokeExact(c, fd, TCSADRAIN, termios));
    }

    /** A copy of {@code termios} in raw mode (cfmakeraw): no echo, no line editing, no signals from keys. */
    public static MemorySegment raw(MemorySegment termios, Arena arena) {
        MemorySegment raw = arena.allocate(TERMIOS_BYTES, 8).copyFrom(termios);
        try {
            CFMAKERAW.invokeExact(raw);
        } catch (Throwable t) {
            throw new AssertionError("downcall cfmakeraw threw", t);
        }
        return raw;
    }

    public static WindowSize windowSize(int fd) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8, 2);
            Downcalls.checked("ioctl", "TIOCGWINSZ fd " + fd, c -> (int) IOCTL.invokeExact(c, fd, TIOCGWINSZ, winsize));
            return new WindowSize(Short.toUnsignedInt(winsize.get(JAVA_SHORT, 0)), Short.toUnsignedInt(winsize.get(JAVA_SHORT, 2)),
                    Short.toUnsignedInt(winsize.get(JAVA_SHORT, 4)), Short.toUnsignedInt(winsize.get(JAVA_SHORT, 6)));
        }
    }

    /** TIOCSWINSZ: on a pty master, the kernel then sends SIGWINCH to the terminal's foreground process group. */
    public static void setWindowSize(int fd, WindowSize size) throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment winsize = arena.allocate(8, 2);
            winsize.set(JAVA_SHORT, 0, (short) size.rows());
            winsize.set(JAVA_SHORT, 2, (short) size.columns());
            winsize.set(JAVA_SHORT, 4, (short) size.xPixels());
            winsize.set(JAVA_SHORT, 6, (short) size.yPixels());
            Downcalls.checked("ioctl", "TIOCSWINSZ fd " + fd, c -> (int) IOCTL.invokeExact(c, fd, TIOCSWINSZ, winsize));
        }
    }
}
