package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.PosixSpawn;
import io.dpuvirt.common.linux.TerminalCalls;
import io.dpuvirt.common.linux.WindowSize;

import java.nio.charset.StandardCharsets;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_RDONLY;
import static io.dpuvirt.common.linux.OpenFlags.O_RDWR;

/**
 * A program's fds 0-2 and the server's ends of them: three pipes, one pseudo-terminal, or (detached) /dev/null and
 * two files, with no server's ends at all. The server's ends are close-on-exec; the program's ends are closed in the
 * server once it started.
 */
final class ChildStdio {
    private static final int F_SETPIPE_SZ = 1031;
    /** Output pipes this large let a busy program hand over 128 KiB per read instead of 64. */
    private static final int OUTPUT_PIPE_BYTES = 1024 * 1024;
    private static final byte[] DEV_NULL = "/dev/null".getBytes(StandardCharsets.US_ASCII);

    /** The server's ends: where stdin is written (-1: none), where stdout and stderr are read (stderr -1 on a terminal). */
    private final int stdin;
    private final int stdout;
    private final int stderr;
    private final boolean terminal;
    /** The program's ends of the pipes, or -1; for a terminal, the slave's path instead. */
    private final int[] childEnds;
    private final byte[] slavePath;

    private ChildStdio(int stdin, int stdout, int stderr, boolean terminal, int[] childEnds, byte[] slavePath) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stderr = stderr;
        this.terminal = terminal;
        this.childEnds = childEnds;
        this.slavePath = slavePath;
    }

    static ChildStdio pipes(boolean stdinFromNull) throws LinuxException {
        int[] in = stdinFromNull ? new int[] {-1, -1} : Libc.pipe2(O_CLOEXEC);
        int[] out = null;
        try {
            out = Libc.pipe2(O_CLOEXEC);
            int[] err = Libc.pipe2(O_CLOEXEC);
            if (in[1] >= 0) {
                setNonBlocking(in[1]); // the relay never blocks on a program that does not read
            }
            enlarge(out[0]);
            enlarge(err[0]);
            return new ChildStdio(in[1], out[0], err[0], false, new int[] {in[0], out[1], err[1]}, null);
        } catch (LinuxException e) {
            closeAll(in);
            if (out != null) {
                closeAll(out);
            }
            throw e;
        }
    }

    /** A detached program's: stdin /dev/null, stdout and stderr on files the server opened (see {@link OutputDirectories}). */
    static ChildStdio files(int stdout, int stderr) {
        return new ChildStdio(-1, -1, -1, false, new int[] {-1, stdout, stderr}, null);
    }

    static ChildStdio terminal(WindowSize size) throws LinuxException {
        TerminalCalls.Pty pty = TerminalCalls.openPty();
        try {
            TerminalCalls.setWindowSize(pty.master(), size);
            setNonBlocking(pty.master());
        } catch (LinuxException e) {
            Libc.close(pty.master());
            throw e;
        }
        return new ChildStdio(pty.master(), pty.master(), -1, true, new int[] {-1, -1, -1},
                pty.slavePath().getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * The program's fds 0-2. On a terminal the program opens the slave itself after setsid(), which makes it the
     * program's controlling terminal.
     */
    void addTo(PosixSpawn spawn) throws LinuxException {
        if (terminal) {
            spawn.open(0, slavePath, O_RDWR, 0).dup2(0, 1).dup2(0, 2);
            return;
        }
        if (childEnds[0] < 0) {
            spawn.open(0, DEV_NULL, O_RDONLY, 0);
        } else {
            spawn.dup2(childEnds[0], 0);
        }
        spawn.dup2(childEnds[1], 1).dup2(childEnds[2], 2);
    }

    /** The highest descriptor number this stdio uses in the server. */
    int highestFd() {
        int highest = Math.max(stdin, Math.max(stdout, stderr));
        for (int fd : childEnds) {
            highest = Math.max(highest, fd);
        }
        return highest;
    }

    /** Once the program started (or failed to): the server keeps only its own ends. */
    void closeChildEnds() {
        closeAll(childEnds);
        java.util.Arrays.fill(childEnds, -1);
    }

    /** Closes the server's ends too, after a failed start. */
    void closeAll() {
        closeChildEnds();
        closeAll(terminal ? new int[] {stdout} : new int[] {stdin, stdout, stderr});
    }

    int stdin() {
        return stdin;
    }

    int stdout() {
        return stdout;
    }

    int stderr() {
        return stderr;
    }

    boolean terminal() {
        return terminal;
    }

    private static void setNonBlocking(int fd) throws LinuxException {
        Libc.setNonBlocking(fd, true);
    }

    private static void enlarge(int pipe) {
        try {
            Libc.fcntl(pipe, F_SETPIPE_SZ, OUTPUT_PIPE_BYTES);
        } catch (LinuxException e) {
            // above /proc/sys/fs/pipe-max-size for this user: the default size works, only with smaller reads
        }
    }

    private static void closeAll(int[] fds) {
        for (int fd : fds) {
            if (fd >= 0) {
                Libc.close(fd);
            }
        }
    }
}
