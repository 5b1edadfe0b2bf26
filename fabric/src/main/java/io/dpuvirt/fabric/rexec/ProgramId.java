package io.dpuvirt.fabric.rexec;

import java.nio.ByteBuffer;

/**
 * A program on the server's machine: its pid and its start time (clock ticks after boot, field 22 of
 * /proc/PID/stat). Together they name one process for good: should the kernel give the pid to another process
 * later, that one has another start time.
 */
public record ProgramId(int pid, long startTime) {
    /** Bytes on the wire: {@code u32 pid, u64 start time}. */
    static final int BYTES = 12;

    public ProgramId {
        if (pid <= 0 || startTime < 0) {
            throw new IllegalArgumentException("not a program: pid " + pid + ", start time " + startTime);
        }
    }

    void encode(ByteBuffer buffer) {
        buffer.putInt(pid).putLong(startTime);
    }

    static ProgramId decode(ByteBuffer payload) {
        return new ProgramId(payload.getInt(), payload.getLong());
    }

    @Override
    public String toString() {
        return "pid " + pid + " (start time " + startTime + ")";
    }
}
