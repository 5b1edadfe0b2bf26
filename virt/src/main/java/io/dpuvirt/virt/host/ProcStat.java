package io.dpuvirt.virt.host;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of /proc/PID/stat a host needs: state, session and start time. The command name in
 * parentheses may itself hold spaces and parentheses, so fields are counted after the last ')'.
 */
record ProcStat(char state, int session, long userTicks, long systemTicks, long startTime) {
    /** Fields after the command name start at field 3 (state). */
    private static final int FIRST_FIELD = 3;
    private static final int SESSION = 6;
    private static final int USER_TIME = 14;
    private static final int SYSTEM_TIME = 15;
    /** USER_HZ, the unit of the times in /proc: 100 on every Linux architecture the kernel exposes it for. */
    private static final long TICKS_PER_SECOND = 100;
    private static final int START_TIME = 22;

    static Optional<ProcStat> read(Path proc, int pid) throws IOException {
        String line;
        try {
            line = Files.readString(proc.resolve(Integer.toString(pid)).resolve("stat"));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        String[] fields = line.substring(line.lastIndexOf(')') + 2).strip().split(" ");
        return Optional.of(new ProcStat(fields[0].charAt(0), Integer.parseInt(fields[SESSION - FIRST_FIELD]),
                Long.parseLong(fields[USER_TIME - FIRST_FIELD]), Long.parseLong(fields[SYSTEM_TIME - FIRST_FIELD]),
                Long.parseLong(fields[START_TIME - FIRST_FIELD])));
    }

    /** Time used by all threads of the process, user and system. */
    java.time.Duration cpuTime() {
        return java.time.Duration.ofMillis((userTicks + systemTicks) * 1000 / TICKS_PER_SECOND);
    }

    /** The CPU time of process {@code id} under {@code proc}; zero when it is gone or its pid is another's. */
    static java.time.Duration cpuTime(Path proc, ProcessId id) throws IOException {
        return read(proc, id.pid()).filter(stat -> stat.startTime() == id.startTime())
                .map(ProcStat::cpuTime).orElse(java.time.Duration.ZERO);
    }

    /** A zombie (Z) or dead (X) process has ended: only its parent's wait is missing. */
    boolean hasEnded() {
        return state == 'Z' || state == 'X';
    }
}
