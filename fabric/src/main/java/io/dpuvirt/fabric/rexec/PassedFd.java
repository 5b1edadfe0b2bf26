package io.dpuvirt.fabric.rexec;

/**
 * A descriptor of the caller's ({@code source}) that the program gets as {@code target} (3 or above). It travels
 * with SCM_RIGHTS: locally any descriptor; across hosts udsproxyd carries regular files only, re-opened by path on
 * the other side under its {@code [Open]} whitelist.
 */
public record PassedFd(int target, int source) {
    /** Targets stay below the usual RLIMIT_NOFILE soft limit. */
    public static final int MAX_TARGET = 1023;

    public PassedFd {
        if (target < 3 || target > MAX_TARGET) {
            throw new IllegalArgumentException("a passed descriptor's number in the program must be 3 to " + MAX_TARGET + ", not " + target);
        }
    }
}
