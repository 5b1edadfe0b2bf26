package io.dpuvirt.fabric.rexec;

import java.nio.ByteBuffer;
import java.util.Optional;

/** What rexec_server knows of a detached program: it runs, or it has ended. */
public sealed interface ProgramState {
    /** It runs (or is stopped by a signal: stopped is not ended). */
    record Running() implements ProgramState {
    }

    /**
     * It has ended. The exit status is known when the server that started it reaped it; after a restart the program
     * is no longer the server's child, whoever reaps it is not the server, and the status is empty: unknown.
     */
    record Ended(Optional<ExitStatus> status) implements ProgramState {
        /** EXITED's kind for an end whose status is unknown (0 and 1 are an exit code and a signal). */
        private static final byte UNKNOWN = 2;

        static Ended of(ExitStatus status) {
            return new Ended(Optional.of(status));
        }

        static Ended withUnknownStatus() {
            return new Ended(Optional.empty());
        }

        /** The EXITED payload: {@link ExitStatus#encode} when known, else {@code u8 2, u8 0, u16 0, u32 0}. */
        void encode(ByteBuffer buffer) {
            status.ifPresentOrElse(known -> known.encode(buffer), () -> buffer.put(UNKNOWN).put((byte) 0).putShort((short) 0).putInt(0));
        }

        static Ended decode(ByteBuffer payload) throws ProtocolException {
            if (payload.remaining() >= 1 && payload.get(0) == UNKNOWN) {
                return withUnknownStatus();
            }
            return of(ExitStatus.decode(payload));
        }

        @Override
        public String toString() {
            return status.map(ExitStatus::toString).orElse("ended, exit status unknown (it was not the server's child any more)");
        }
    }
}
