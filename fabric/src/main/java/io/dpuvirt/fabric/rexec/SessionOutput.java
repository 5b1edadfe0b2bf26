package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;

/**
 * The server's frames to one client, written by several threads (output pumps, the stdin relay's acknowledgements,
 * the exit) one whole frame at a time. Once a write fails the client is gone and every later frame is dropped.
 */
final class SessionOutput {
    private final NativeSocket socket;
    private final MemorySegment control = Arena.ofAuto().allocate(Protocol.HEADER + 16, 8);
    private boolean broken;

    SessionOutput(NativeSocket socket) {
        this.socket = socket;
    }

    void started(ProgramId program) {
        control(Protocol.STARTED, program::encode);
    }

    void acknowledgeStdin(int bytes) {
        control(Protocol.STDIN_ACK, buffer -> buffer.putInt(bytes));
    }

    void exited(ExitStatus status) {
        control(Protocol.EXITED, status::encode);
    }

    void exited(ProgramState.Ended end) {
        control(Protocol.EXITED, end::encode);
    }

    /** The answer to STATUS: RUNNING, or EXITED. */
    void state(ProgramState state) {
        switch (state) {
            case ProgramState.Running running -> control(Protocol.RUNNING, buffer -> { });
            case ProgramState.Ended end -> exited(end);
        }
    }

    void done() {
        control(Protocol.DONE, buffer -> { });
    }

    void cpuTime(long nanoseconds) {
        control(Protocol.CPU_TIME, buffer -> buffer.putLong(nanoseconds));
    }

    /** The answer to FILE_EXISTS and FILE_DELETE. */
    void answer(boolean value) {
        control(Protocol.BOOLEAN, buffer -> buffer.put((byte) (value ? 1 : 0)));
    }

    /** The answer to FILE_READ: the file's content, in one frame. */
    void fileData(byte[] content) {
        MemorySegment frame = Arena.ofAuto().allocate(Protocol.HEADER + content.length);
        MemorySegment.copy(content, 0, frame, ValueLayout.JAVA_BYTE, Protocol.HEADER, content.length);
        data(Protocol.FILE_DATA, frame, content.length);
    }

    synchronized void failed(Failure failure) {
        ByteBuffer frame = failure.encode();
        write(MemorySegment.ofBuffer(frame), frame.remaining());
    }

    /**
     * A data frame whose payload the caller placed at {@code frame[HEADER, HEADER + length)}: the header is written in
     * front of it, so header and payload leave in one write. False once the client is gone.
     */
    synchronized boolean data(int type, MemorySegment frame, int length) {
        Protocol.putHeader(frame.asByteBuffer(), type, length);
        return write(frame, Protocol.HEADER + length);
    }

    synchronized boolean broken() {
        return broken;
    }

    private synchronized void control(int type, java.util.function.Consumer<ByteBuffer> payload) {
        ByteBuffer buffer = control.asByteBuffer().position(Protocol.HEADER);
        payload.accept(buffer);
        int length = buffer.position() - Protocol.HEADER;
        Protocol.putHeader(buffer.position(0), type, length);
        write(control, Protocol.HEADER + length);
    }

    private boolean write(MemorySegment bytes, long length) {
        if (broken) {
            return false;
        }
        try {
            socket.write(bytes, length);
            return true;
        } catch (LinuxException e) {
            broken = true; // EPIPE, ECONNRESET: the client went away, and the session notices on its reading side
            return false;
        }
    }
}
