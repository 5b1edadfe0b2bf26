package io.dpuvirt.virt.host;

import io.dpuvirt.common.linux.ProcessCalls;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;

/** Threads of a process on this machine. */
final class LocalThreads {
    private static final Path PROC = Path.of("/proc");

    private LocalThreads() {
    }

    /**
     * Pins thread {@code threadId} of {@code process} to {@code cpus}. The thread must be one of the process's
     * ({@code /proc/PID/task/TID}) and the process still the one started then: a pid or thread id reused by another
     * process is never pinned.
     */
    static void setAffinity(ProcessId process, int threadId, BitSet cpus) throws IOException {
        if (!FoundProcess.lives(process) || !Files.isDirectory(PROC.resolve(process.pid() + "/task/" + threadId))) {
            throw new IOException("thread " + threadId + " is not a thread of process " + process.pid() + " (or it ended)");
        }
        ProcessCalls.setAffinity(threadId, cpus);
    }
}
