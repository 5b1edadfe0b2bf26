package io.dpuvirt.cli.offload;

/** A step of {@code up} or {@code down} that could not be done; the message says what and what to do about it. */
final class OffloadException extends Exception {
    OffloadException(String message) {
        super(message);
    }
}
