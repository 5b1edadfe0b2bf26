package io.dpuvirt.virt.host.remote;

import java.nio.file.attribute.PosixFilePermission;
import java.util.Set;

/** Permissions as the mode bits rexec's file requests carry. */
final class FileModes {
    /** Directories the daemon creates besides private ones: rwxr-xr-x, as mkdir -p under umask 022 makes them. */
    static final int DIRECTORY = 0755;

    private FileModes() {
    }

    /** PosixFilePermission's constants run from OWNER_READ (0400) to OTHERS_EXECUTE (0001). */
    static int of(Set<PosixFilePermission> permissions) {
        int mode = 0;
        for (PosixFilePermission permission : permissions) {
            mode |= 0400 >> permission.ordinal();
        }
        return mode;
    }
}
