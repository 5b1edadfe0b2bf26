package io.dpuvirt.fabric.rexec;

/**
 * A detached program as the registry keeps it: which process, the program it runs (canonical path), and the uid of
 * the client that started it (the only one whose requests about it are served). On disk, one file per program:
 * <pre>
 * start-time 123456
 * uid 0
 * program /usr/bin/qemu-system-x86_64
 * </pre>
 */
record DetachedRecord(ProgramId program, String path, int uid) {
    private static final String START_TIME = "start-time ", UID = "uid ", PROGRAM = "program ";

    String format() {
        return START_TIME + program.startTime() + "\n" + UID + uid + "\n" + PROGRAM + path + "\n";
    }

    /** The record of {@code pid} in {@code text}; an IllegalArgumentException names what is wrong. */
    static DetachedRecord parse(int pid, String text) {
        String[] lines = text.split("\n", 3);
        if (lines.length != 3 || !lines[0].startsWith(START_TIME) || !lines[1].startsWith(UID) || !lines[2].startsWith(PROGRAM)
                || !lines[2].endsWith("\n")) {
            throw new IllegalArgumentException("not a detached program's record: " + text.strip());
        }
        return new DetachedRecord(new ProgramId(pid, Long.parseLong(lines[0].substring(START_TIME.length()))),
                lines[2].substring(PROGRAM.length(), lines[2].length() - 1), Integer.parseInt(lines[1].substring(UID.length())));
    }
}
