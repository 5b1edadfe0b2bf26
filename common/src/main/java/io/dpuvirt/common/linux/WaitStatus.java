package io.dpuvirt.common.linux;

/** The status waitpid(2) reports for a child that ended: an exit code, or the signal that killed it. */
public record WaitStatus(int raw) {
    public boolean exited() {
        return (raw & 0x7f) == 0;
    }

    /** The exit code; meaningful when {@link #exited()}. */
    public int exitCode() {
        return (raw >> 8) & 0xff;
    }

    /** The signal that ended the child; meaningful when not {@link #exited()}. */
    public int signal() {
        return raw & 0x7f;
    }
}
