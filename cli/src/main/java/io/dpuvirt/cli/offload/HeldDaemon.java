package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.linux.ProcessCalls;
import io.dpuvirt.virt.host.ProcessId;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * A daemon {@link ServiceLauncher} spawned and holds before its program runs: a shell waiting for a line on a pipe
 * whose other end is {@code gate}. {@link #release} lets it exec the program; closed without that, the shell reads end
 * of file and exits without running it, and is reaped. The kernel closes the gate as well when this process dies, so
 * a daemon is never left running that its starter had no time to record.
 */
final class HeldDaemon implements AutoCloseable {
    private final ProcessId process;
    /** The pipe's writing end; -1 once released or closed. */
    private int gate;

    HeldDaemon(ProcessId process, int gate) {
        this.process = process;
        this.gate = gate;
    }

    /** Its pid and start time, which its program keeps (exec changes neither). */
    ProcessId process() {
        return process;
    }

    /** Lets it run its program. One that ended meanwhile (killed) is no error here: waiting for it tells how it ended. */
    void release() throws LinuxException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment line = arena.allocate(1);
            line.set(JAVA_BYTE, 0, (byte) '\n');
            Libc.write(gate, line, 1);
        } catch (LinuxException e) {
            if (!e.is(Errno.EPIPE)) {
                throw e;
            }
        } finally {
            Libc.close(gate);
            gate = -1;
        }
    }

    /** Unreleased, it ends without running its program; reaped here, since nobody will wait for it. */
    @Override
    public void close() throws LinuxException {
        if (gate < 0) {
            return;
        }
        Libc.close(gate);
        gate = -1;
        ProcessCalls.reap(process.pid());
    }
}
