package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.SpliceCalls;

import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;

/**
 * A pipe through which bytes go from one socket to another by splice(2): the kernel hands the received pages on
 * instead of this process copying them in and out again. Only what was put in is taken out, so between transfers it
 * is empty.
 */
final class SplicePipe implements AutoCloseable {
    /** The most a transfer moves per call; 1 MiB is the default /proc/sys/fs/pipe-max-size (64 KiB when refused). */
    private static final int CAPACITY = 1 << 20;

    private final int readEnd;
    private final int writeEnd;

    private SplicePipe(int readEnd, int writeEnd) {
        this.readEnd = readEnd;
        this.writeEnd = writeEnd;
    }

    static SplicePipe open() throws LinuxException {
        int[] fds = Libc.pipe2(O_CLOEXEC);
        try {
            Libc.fcntl(fds[1], Libc.F_SETPIPE_SZ, CAPACITY);
        } catch (LinuxException e) {
            // above this user's pipe-max-size: the default capacity works, with more calls
        }
        return new SplicePipe(fds[0], fds[1]);
    }

    /** Moves at most {@code length} bytes from {@code from} into the pipe, waiting for some; 0 at end of stream. */
    long fillFrom(int from, long length) throws LinuxException {
        return SpliceCalls.splice(from, writeEnd, length, SpliceCalls.SPLICE_F_MOVE);
    }

    /** Moves the {@code length} bytes in the pipe to {@code to}, waiting for room as long as it takes. */
    void drainTo(int to, long length) throws LinuxException {
        long left = length;
        while (left > 0) {
            long moved = SpliceCalls.splice(readEnd, to, left, SpliceCalls.SPLICE_F_MOVE);
            if (moved == 0) {
                throw new IllegalStateException("the pipe ran dry with " + left + " bytes to go");
            }
            left -= moved;
        }
    }

    @Override
    public void close() {
        Libc.close(readEnd);
        Libc.close(writeEnd);
    }
}
