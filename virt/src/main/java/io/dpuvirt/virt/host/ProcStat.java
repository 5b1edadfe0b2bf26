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
record ProcStat(char state, int session, long startTime) {
    /** Fields after the command name start at field 3 (state). */
    private static final int FIRST_FIELD = 3;
    private static final int SESSION = 6;
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
                Long.parseLong(fields[START_TIME - FIRST_FIELD])));
    }

    /** A zombie (Z) or dead (X) process has ended: only its parent's wait is missing. */
    boolean hasEnded() {
        return state == 'Z' || state == 'X';
    }
}
