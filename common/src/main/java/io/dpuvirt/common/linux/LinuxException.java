package io.dpuvirt.common.linux;

import java.io.IOException;

/** A failed system call: which call, on what, and the errno it returned (e.g. {@code connect(/run/x.sock): ECONNREFUSED (Connection refused)}). */
public final class LinuxException extends IOException {
    private final int errno;

    public LinuxException(String call, String subject, int errno) {
        super(call + (subject == null || subject.isEmpty() ? "" : "(" + subject + ")") + ": " + Errno.describe(errno));
        this.errno = errno;
    }

    public int errno() {
        return errno;
    }

    public boolean is(int code) {
        return errno == code;
    }
}
