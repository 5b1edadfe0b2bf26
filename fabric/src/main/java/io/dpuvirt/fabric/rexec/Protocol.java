package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * The rexec wire protocol on the unix socket between a client and rexec_server (see docs/REXEC.md). Every message
 * is a frame: {@code u8 type, u8 0, u16 0, u32 length} (big-endian) and {@code length} bytes of payload.
 * The client speaks first, with SPAWN, a request about a detached program or a file request; the server answers
 * STARTED, the request's answer, or FAILED; after an attached program's STARTED both sides stream. A request answered
 * at once (all but SPAWN and WATCH) may be followed by the next on the same connection.
 */
final class Protocol {
    /**
     * 4: the client of a detached SPAWN confirms the start ({@link #CONFIRM}), and the server kills a program whose
     * client went without confirming (a client of version 3 never confirms, so the two refuse each other).
     * 3: the connection of a detached SPAWN that names a run directory removes it before its EXITED.
     */
    static final int VERSION = 4;
    static final int HEADER = 8;
    /** The largest STDIN, STDOUT or STDERR payload; the sender splits larger writes. */
    static final int MAX_DATA = 128 * 1024;
    /** The largest SPAWN payload: argv and environment together (Linux itself allows about 2 MiB). */
    static final int MAX_SPAWN = 4 * 1024 * 1024;
    /** Stdin bytes a client may send before the server acknowledges them (see STDIN_ACK). */
    static final int STDIN_WINDOW = 256 * 1024;
    /** The largest payload a client reads in answer to a detached spawn or a request (FAILED's message the longest). */
    static final int MAX_ANSWER = 64 * 1024;
    /** The largest file a FILE_READ reads or a FILE_WRITE writes: a guest's nvram, a log, a host fact. */
    static final int MAX_FILE = 16 * 1024 * 1024;

    // client -> server
    static final int SPAWN = 0x01;
    static final int STDIN = 0x02;
    static final int STDIN_EOF = 0x03;
    static final int SIGNAL = 0x04;
    static final int RESIZE = 0x05;
    static final int OUTPUT_CLOSED = 0x06;
    /**
     * On a detached SPAWN's connection, after STARTED: the start is complete. Until then the program lives only as
     * long as that connection: a client that lost it (the link cut, its process killed) took the start for failed,
     * and no one would ever end the program.
     */
    static final int CONFIRM = 0x07;
    // client -> server: requests about a detached program
    static final int DETACHED_SIGNAL = 0x11;
    static final int DETACHED_STATUS = 0x12;
    static final int DETACHED_WATCH = 0x13;
    static final int DETACHED_AFFINITY = 0x14;
    static final int DETACHED_CPU_TIME = 0x15;
    // client -> server: file requests (virtd's files on the server's machine)
    static final int FILE_READ = 0x21;
    static final int FILE_WRITE = 0x22;
    static final int FILE_DELETE = 0x23;
    static final int FILE_EXISTS = 0x24;
    static final int MKDIRS = 0x25;
    static final int MKDIR_PRIVATE = 0x26;
    // server -> client
    static final int STARTED = 0x41;
    static final int STDOUT = 0x42;
    static final int STDERR = 0x43;
    static final int STDIN_ACK = 0x44;
    static final int EXITED = 0x45;
    static final int FAILED = 0x46;
    static final int RUNNING = 0x47;
    static final int DONE = 0x48;
    static final int CPU_TIME = 0x49;
    static final int FILE_DATA = 0x4a;
    static final int BOOLEAN = 0x4b;

    private Protocol() {
    }

    static void putHeader(ByteBuffer buffer, int type, int length) {
        buffer.put((byte) type).put((byte) 0).putShort((short) 0).putInt(length);
    }

    static int type(ByteBuffer buffer, int frameStart) {
        return buffer.get(frameStart) & 0xff;
    }

    /** The payload length of the frame at {@code frameStart}, checked against {@code limit}. */
    static int length(ByteBuffer buffer, int frameStart, int limit) throws IOException {
        int length = buffer.getInt(frameStart + 4);
        if (length < 0 || length > limit) {
            throw new ProtocolException("frame of type 0x" + Integer.toHexString(type(buffer, frameStart)) + " announces "
                    + Integer.toUnsignedString(length) + " bytes, more than the " + limit + " allowed");
        }
        return length;
    }

    static String typeName(int type) {
        return switch (type) {
            case SPAWN -> "SPAWN";
            case STDIN -> "STDIN";
            case STDIN_EOF -> "STDIN_EOF";
            case SIGNAL -> "SIGNAL";
            case RESIZE -> "RESIZE";
            case OUTPUT_CLOSED -> "OUTPUT_CLOSED";
            case CONFIRM -> "CONFIRM";
            case DETACHED_SIGNAL -> "DETACHED_SIGNAL";
            case DETACHED_STATUS -> "DETACHED_STATUS";
            case DETACHED_WATCH -> "DETACHED_WATCH";
            case DETACHED_AFFINITY -> "DETACHED_AFFINITY";
            case DETACHED_CPU_TIME -> "DETACHED_CPU_TIME";
            case FILE_READ -> "FILE_READ";
            case FILE_WRITE -> "FILE_WRITE";
            case FILE_DELETE -> "FILE_DELETE";
            case FILE_EXISTS -> "FILE_EXISTS";
            case MKDIRS -> "MKDIRS";
            case MKDIR_PRIVATE -> "MKDIR_PRIVATE";
            case STARTED -> "STARTED";
            case STDOUT -> "STDOUT";
            case STDERR -> "STDERR";
            case STDIN_ACK -> "STDIN_ACK";
            case EXITED -> "EXITED";
            case FAILED -> "FAILED";
            case RUNNING -> "RUNNING";
            case DONE -> "DONE";
            case CPU_TIME -> "CPU_TIME";
            case FILE_DATA -> "FILE_DATA";
            case BOOLEAN -> "BOOLEAN";
            default -> "0x" + Integer.toHexString(type);
        };
    }
}
