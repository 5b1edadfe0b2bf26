package io.dpuvirt.fabric.rexec;

/**
 * A detached program as the registry keeps it: which process, the program it runs (canonical path), the uid of the
 * client that started it (the only one whose requests about it are served), and whether that client confirmed the
 * start (see {@link Protocol#CONFIRM}). On disk, one file per program:
 * <pre>
 * start-time 123456
 * uid 0
 * program /usr/bin/qemu-system-x86_64
 * unconfirmed
 * </pre>
 * the last line only until the client confirms. A record without it (also one a server of protocol version 3 wrote)
 * is of a confirmed program.
 */
record DetachedRecord(ProgramId program, String path, int uid, boolean confirmed) {
    private static final String START_TIME = "start-time ", UID = "uid ", PROGRAM = "program ", UNCONFIRMED = "unconfirmed";

    DetachedRecord asConfirmed() {
        return new DetachedRecord(program, path, uid, true);
    }

    String format() {
        return START_TIME + program.startTime() + "\n" + UID + uid + "\n" + PROGRAM + path + "\n" + (confirmed ? "" : UNCONFIRMED + "\n");
    }

    /** The record of {@code pid} in {@code text}; an IllegalArgumentException names what is wrong. */
    static DetachedRecord parse(int pid, String text) {
        String[] lines = text.split("\n", -1);
        boolean wellFormed = (lines.length == 4 || lines.length == 5 && lines[3].equals(UNCONFIRMED))
                && lines[lines.length - 1].isEmpty()
                && lines[0].startsWith(START_TIME) && lines[1].startsWith(UID) && lines[2].startsWith(PROGRAM);
        if (!wellFormed) {
            throw new IllegalArgumentException("not a detached program's record: " + text.strip());
        }
        return new DetachedRecord(new ProgramId(pid, Long.parseLong(lines[0].substring(START_TIME.length()))),
                lines[2].substring(PROGRAM.length()), Integer.parseInt(lines[1].substring(UID.length())), lines.length == 4);
    }
}
