package io.dpuvirt.cli;

/** Exit statuses shared by dpuvirt's tools, so that scripts can tell failures apart. */
public final class ExitStatus {
    public static final int OK = 0;
    /** The tool ran but the operation failed (peer unreachable, file unreadable, …). */
    public static final int FAILED = 1;
    /** The command line was wrong. */
    public static final int USAGE = 2;
    /** A configuration file is invalid (the message names file and line). */
    public static final int CONFIG = 3;
    /** A check found something missing ({@code dpuvirt offload check}). */
    public static final int INCOMPLETE = 4;

    private ExitStatus() {
    }
}
