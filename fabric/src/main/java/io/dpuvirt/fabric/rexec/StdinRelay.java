package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * Writes what the client sends for stdin into the program's stdin without ever blocking (the descriptor is
 * non-blocking): what the program does not take yet waits here, and is acknowledged (STDIN_ACK) once written. The
 * client never has more than {@link Protocol#STDIN_WINDOW} bytes unacknowledged, so this buffer never overflows and
 * the session keeps reading the client's signals however slowly the program reads.
 */
final class StdinRelay {
    private final int fd;
    private final boolean terminal;
    private final SessionOutput output;
    private final MemorySegment pending = Arena.ofAuto().allocate(Protocol.STDIN_WINDOW, 64);
    private long start;
    private long end;
    private boolean endOfInput;
    private boolean closed;

    /** {@code fd} -1: the program's stdin is /dev/null, and what the client sends is dropped. */
    StdinRelay(int fd, boolean terminal, SessionOutput output) {
        this.fd = fd;
        this.terminal = terminal;
        this.output = output;
        this.closed = fd < 0;
    }

    void offer(ByteBuffer data) throws ProtocolException {
        int length = data.remaining();
        if (closed) {
            output.acknowledgeStdin(length); // the program closed its stdin: its data goes nowhere, as with EPIPE
            return;
        }
        if (end + length > pending.byteSize()) {
            MemorySegment.copy(pending, start, pending, 0, end - start);
            end -= start;
            start = 0;
            if (end + length > pending.byteSize()) {
                throw new ProtocolException("client sent more stdin than the " + Protocol.STDIN_WINDOW + " bytes it may have unacknowledged");
            }
        }
        MemorySegment.copy(MemorySegment.ofBuffer(data), 0, pending, end, length);
        end += length;
        flush();
    }

    /** End of file: stdin is closed once everything before it is written. On a terminal there is no such thing. */
    void endOfInput() {
        endOfInput = true;
        flush();
    }

    /** True when data waits for the program: the session then polls for the descriptor being writable. */
    boolean waiting() {
        return !closed && end > start;
    }

    int fd() {
        return fd;
    }

    /** Writes as much as the program takes now. */
    void flush() {
        while (!closed && end > start) {
            long n;
            try {
                n = Libc.write(fd, pending.asSlice(start), end - start);
            } catch (LinuxException e) {
                if (e.is(Errno.EAGAIN)) {
                    return;
                }
                output.acknowledgeStdin((int) (end - start)); // EPIPE: the program closed its stdin
                start = end;
                close();
                return;
            }
            start += n;
            output.acknowledgeStdin((int) n);
        }
        start = end = 0;
        if (endOfInput && !terminal) {
            close();
        }
    }

    /** Closes the program's stdin (not a terminal's master, which its output pump shares). */
    void close() {
        if (!closed) {
            closed = true;
            if (!terminal) {
                Libc.close(fd);
            }
        }
    }
}
