package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Signals;

/** How a program ended: its exit code, or the signal that killed it (and whether it dumped core). */
public record ExitStatus(int code, int signal, boolean coreDumped) {
    public ExitStatus {
        if (code < 0 || code > 255 || signal < 0 || signal > Signals.MAX || (signal > 0 && code != 0)) {
            throw new IllegalArgumentException("not an exit status: code " + code + ", signal " + signal);
        }
    }

    public static ExitStatus exited(int code) {
        return new ExitStatus(code, 0, false);
    }

    public static ExitStatus killed(int signal) {
        return new ExitStatus(0, signal, false);
    }

    /** Decodes a waitpid(2) status of a process that ended (WIFEXITED, WEXITSTATUS, WTERMSIG, WCOREDUMP). */
    public static ExitStatus ofWaitStatus(int status) {
        int termination = status & 0x7f;
        return termination == 0 ? exited((status >> 8) & 0xff) : new ExitStatus(0, termination, (status & 0x80) != 0);
    }

    public boolean killedBySignal() {
        return signal != 0;
    }

    /** What a shell reports in {@code $?}: the exit code, or 128 + the signal. */
    public int shellStatus() {
        return killedBySignal() ? 128 + signal : code;
    }

    /** The EXITED payload: {@code u8 kind (0 exit, 1 signal), u8 core dumped, u16 0, u32 code or signal}. */
    void encode(java.nio.ByteBuffer buffer) {
        buffer.put((byte) (killedBySignal() ? 1 : 0)).put((byte) (coreDumped ? 1 : 0)).putShort((short) 0)
                .putInt(killedBySignal() ? signal : code);
    }

    static ExitStatus decode(java.nio.ByteBuffer payload) throws ProtocolException {
        try {
            int kind = payload.get(0);
            int value = payload.getInt(4);
            return switch (kind) {
                case 0 -> exited(value);
                case 1 -> new ExitStatus(0, value, payload.get(1) == 1);
                default -> throw new IllegalArgumentException("kind " + kind);
            };
        } catch (IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new ProtocolException("malformed EXITED frame");
        }
    }

    @Override
    public String toString() {
        return killedBySignal() ? "killed by " + Signals.name(signal) + (coreDumped ? " (core dumped)" : "") : "exited with status " + code;
    }
}
