package io.dpuvirt.common.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The fields of /proc/PID/stat that tell a process apart and what it costs: state (field 3), process group (5), session (6), user and
 * system CPU time in clock ticks (14, 15; all threads together), start time in clock ticks after boot (22). Pid and
 * start time together name a process without mistaking another that reused its pid.
 */
public record ProcessStat(char state, int processGroup, int session, long userTicks, long systemTicks, long startTime) {
    /**
     * Clock ticks per second of /proc's figures (USER_HZ): 100 on every architecture Linux runs dpuvirt on (x86-64,
     * aarch64), whatever the kernel's own tick rate.
     */
    public static final long TICKS_PER_SECOND = 100;
    /** Fields after the command name start at field 3. */
    private static final int FIRST_FIELD = 3, PROCESS_GROUP = 5, SESSION = 6, USER_TIME = 14, SYSTEM_TIME = 15, START_TIME = 22;

    /** The process's figures; empty once it is gone (reaped), or if it cannot be read. */
    public static Optional<ProcessStat> read(int pid) {
        String line;
        try {
            // bytes as they are: the command name is any 15 bytes (a file name cut mid-character, or what the process
            // set), and a strict UTF-8 read would take a running process with such a name for a gone one
            line = new String(Files.readAllBytes(Path.of("/proc", Integer.toString(pid), "stat")), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return Optional.empty(); // NoSuchFileException, or ESRCH from a process that went while being read
        }
        // the command name (field 2) may contain spaces and parentheses: count fields after its last ')'
        String[] fields = line.substring(line.lastIndexOf(')') + 2).strip().split(" ");
        return Optional.of(new ProcessStat(fields[0].charAt(0), Integer.parseInt(fields[PROCESS_GROUP - FIRST_FIELD]),
                Integer.parseInt(fields[SESSION - FIRST_FIELD]),
                Long.parseLong(fields[USER_TIME - FIRST_FIELD]), Long.parseLong(fields[SYSTEM_TIME - FIRST_FIELD]),
                Long.parseLong(fields[START_TIME - FIRST_FIELD])));
    }

    /**
     * Whether process {@code pid} runs and is the one that started at {@code startTime}: not gone, not ended (a
     * zombie), and not another process that was given the pid since.
     */
    public static boolean isRunning(int pid, long startTime) {
        return read(pid).filter(stat -> stat.startTime() == startTime && !stat.ended()).isPresent();
    }

    /**
     * Whether a process that has not ended is in process group {@code pgid}. While one is, the kernel gives the
     * number to no new process, so a signal to the group reaches that group; once none is, kill(-pgid) could reach
     * a new group that was given the number.
     */
    public static boolean groupHasLiveMembers(int pgid) {
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), entry -> isPid(entry.getFileName().toString()))) {
            for (Path process : processes) {
                int pid = Integer.parseInt(process.getFileName().toString());
                if (read(pid).filter(stat -> stat.processGroup() == pgid && !stat.ended()).isPresent()) {
                    return true;
                }
            }
            return false;
        } catch (IOException e) {
            return true; // cannot tell: as before, the group is signalled
        }
    }

    private static boolean isPid(String name) {
        if (name.isEmpty()) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    /** A zombie (Z) or dead (X) process has ended: only its parent's wait is missing. */
    public boolean ended() {
        return state == 'Z' || state == 'X';
    }

    /** User and system CPU time of all its threads, in nanoseconds. */
    public long cpuNanos() {
        return (userTicks + systemTicks) * (1_000_000_000L / TICKS_PER_SECOND);
    }
}
