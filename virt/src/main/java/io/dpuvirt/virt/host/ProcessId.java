package io.dpuvirt.virt.host;

/**
 * A process as it can be found again after a daemon restart: its pid and its start time (clock ticks
 * after boot, field 22 of /proc/PID/stat), so that a pid the kernel has since given to another process
 * is not taken for it.
 */
public record ProcessId(int pid, long startTime) {
    public ProcessId {
        if (pid <= 0) {
            throw new IllegalArgumentException("pid must be positive, not " + pid);
        }
    }
}
