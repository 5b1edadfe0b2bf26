package io.dpuvirt.cli;

/** Wrong command line: the tool prints the message and its usage and exits with {@link ExitStatus#USAGE}. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
