package io.dpuvirt.fabric.udsproxy;

import java.io.IOException;

/** A file descriptor that cannot cross the link (not a regular file, or its path is not usable on the other side). */
final class FdRefusedException extends IOException {
    FdRefusedException(String message) {
        super(message);
    }
}
