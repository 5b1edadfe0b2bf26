package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Signals;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.BitSet;

/**
 * A request about a detached program: one frame whose payload starts with the program's {@link ProgramId}
 * ({@code u32 pid, u64 start time}), then the request's own fields.
 */
sealed interface ProgramRequest extends ClientRequest {
    /** The largest CPU set an AFFINITY carries: 8192 CPUs. */
    int MAX_CPU_SET_BYTES = 1024;
    /** An AFFINITY's fields, or a WATCH's cleanup directory, whichever is longer. */
    int MAX_PAYLOAD = ProgramId.BYTES + Math.max(8 + MAX_CPU_SET_BYTES, 4 + FileRequest.MAX_PATH);

    ProgramId program();

    int type();

    /** The request's fields after the program's id. */
    void encodeArguments(ByteBuffer buffer);

    /** Sends {@code signal} to the program itself. */
    record Signal(ProgramId program, int signal) implements ProgramRequest {
        public Signal {
            if (signal < 1 || signal > Signals.MAX) {
                throw new IllegalArgumentException("no signal " + signal);
            }
        }

        @Override
        public int type() {
            return Protocol.DETACHED_SIGNAL;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
            buffer.putInt(signal);
        }
    }

    /** Whether it runs, or how it ended. */
    record Status(ProgramId program) implements ProgramRequest {
        @Override
        public int type() {
            return Protocol.DETACHED_STATUS;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
        }
    }

    /**
     * The connection stays open until the program ends. {@code cleanup} ("": none; a path beneath a state directory)
     * is a directory of the program's own: once the program has ended, the server removes the files in it and then
     * the directory, before it answers (so the client learns of the end and of the removal in one answer). Its
     * fields: nothing, or {@code u32 length, path}.
     */
    record Watch(ProgramId program, String cleanup) implements ProgramRequest {
        public Watch {
            if (!cleanup.isEmpty()) {
                FileRequest.checkPath(cleanup);
            }
        }

        public Watch(ProgramId program) {
            this(program, "");
        }

        @Override
        public int type() {
            return Protocol.DETACHED_WATCH;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
            if (!cleanup.isEmpty()) {
                FileRequest.writePath(buffer, cleanup);
            }
        }
    }

    /** Restricts one of its threads to {@code cpus}: {@code u32 thread id, u32 length, CPU bit mask (bit n: CPU n)}. */
    record Affinity(ProgramId program, int thread, BitSet cpus) implements ProgramRequest {
        public Affinity {
            cpus = (BitSet) cpus.clone();
            if (thread <= 0 || cpus.isEmpty() || cpus.length() > MAX_CPU_SET_BYTES * 8) {
                throw new IllegalArgumentException("thread " + thread + " cannot be pinned to the CPUs " + cpus);
            }
        }

        @Override
        public BitSet cpus() {
            return (BitSet) cpus.clone();
        }

        @Override
        public int type() {
            return Protocol.DETACHED_AFFINITY;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
            byte[] mask = cpus.toByteArray(); // little-endian: bit n of the set is bit n % 8 of byte n / 8, as in cpu_set_t
            buffer.putInt(thread).putInt(mask.length).put(mask);
        }
    }

    /** User and system CPU time of all its threads. */
    record CpuTime(ProgramId program) implements ProgramRequest {
        @Override
        public int type() {
            return Protocol.DETACHED_CPU_TIME;
        }

        @Override
        public void encodeArguments(ByteBuffer buffer) {
        }
    }

    static boolean isProgramRequest(int type) {
        return type >= Protocol.DETACHED_SIGNAL && type <= Protocol.DETACHED_CPU_TIME;
    }

    /** The request's frame. */
    default ByteBuffer encode() {
        ByteBuffer buffer = ByteBuffer.allocate(Protocol.HEADER + MAX_PAYLOAD).position(Protocol.HEADER);
        program().encode(buffer);
        encodeArguments(buffer);
        int length = buffer.position() - Protocol.HEADER;
        Protocol.putHeader(buffer.duplicate().position(0), type(), length);
        return buffer.flip();
    }

    static ProgramRequest decode(int type, ByteBuffer payload) throws ProtocolException {
        try {
            ProgramId program = ProgramId.decode(payload);
            ProgramRequest request = switch (type) {
                case Protocol.DETACHED_SIGNAL -> new Signal(program, payload.getInt());
                case Protocol.DETACHED_STATUS -> new Status(program);
                case Protocol.DETACHED_WATCH -> new Watch(program, payload.hasRemaining() ? FileRequest.readPath(payload) : "");
                case Protocol.DETACHED_AFFINITY -> {
                    int thread = payload.getInt();
                    int length = payload.getInt();
                    if (length < 0 || length > MAX_CPU_SET_BYTES) {
                        throw new IllegalArgumentException("a CPU set of " + Integer.toUnsignedString(length) + " bytes");
                    }
                    byte[] mask = new byte[length];
                    payload.get(mask);
                    yield new Affinity(program, thread, BitSet.valueOf(mask));
                }
                case Protocol.DETACHED_CPU_TIME -> new CpuTime(program);
                default -> throw new IllegalArgumentException("not a request about a detached program");
            };
            if (payload.hasRemaining()) {
                throw new IllegalArgumentException(payload.remaining() + " bytes after its last field");
            }
            return request;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new ProtocolException("malformed " + Protocol.typeName(type) + ": " + (e.getMessage() == null ? "truncated" : e.getMessage()));
        }
    }
}
