package io.dpuvirt.rfs.fuse;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

/**
 * A reply being built: {@code fuse_out_header} (len, error, unique) then the body, in a buffer of the thread that
 * sends it (replies may be sent from any thread: a request is answered when its answer arrives, not in order).
 */
public final class FuseReply {
    public static final int HEADER = 16;
    private static final ThreadLocal<FuseReply> OF_THREAD = new ThreadLocal<>();

    private final FuseDevice device;
    private final MemorySegment buffer;
    private long position;

    private FuseReply(FuseDevice device, long capacity) {
        this.device = device;
        this.buffer = Arena.ofAuto().allocate(capacity, 8);
    }

    /** This thread's reply buffer for {@code device}, emptied. */
    static FuseReply start(FuseDevice device, long capacity) {
        FuseReply reply = OF_THREAD.get();
        if (reply == null || reply.device != device || reply.buffer.byteSize() < capacity) {
            reply = new FuseReply(device, capacity);
            OF_THREAD.set(reply);
        }
        reply.position = HEADER;
        return reply;
    }

    public FuseReply u16(int value) {
        buffer.set(ValueLayout.JAVA_SHORT_UNALIGNED, position, (short) value);
        position += 2;
        return this;
    }

    public FuseReply u32(int value) {
        buffer.set(ValueLayout.JAVA_INT_UNALIGNED, position, value);
        position += 4;
        return this;
    }

    public FuseReply u64(long value) {
        buffer.set(ValueLayout.JAVA_LONG_UNALIGNED, position, value);
        position += 8;
        return this;
    }

    public FuseReply zeros(int count) {
        buffer.asSlice(position, count).fill((byte) 0);
        position += count;
        return this;
    }

    public FuseReply bytes(MemorySegment source) {
        MemorySegment.copy(source, 0, buffer, position, source.byteSize());
        position += source.byteSize();
        return this;
    }

    public FuseReply bytes(byte[] source) {
        MemorySegment.copy(source, 0, buffer, ValueLayout.JAVA_BYTE, position, source.length);
        position += source.length;
        return this;
    }

    /** Pads the body to a multiple of 8 bytes (directory entries are 64-bit aligned). */
    public FuseReply align8() {
        return zeros((int) ((8 - (position & 7)) & 7));
    }

    /** Bytes of body written so far. */
    public long bodyLength() {
        return position - HEADER;
    }

    public void send(long unique) {
        finish(unique, 0);
    }

    /** Sends the body built so far followed by {@code payload}, which is not copied (read data). */
    public void send(long unique, MemorySegment payload) {
        buffer.set(ValueLayout.JAVA_INT, 4, 0);
        buffer.set(ValueLayout.JAVA_LONG, 8, unique);
        try {
            device.write(buffer, position, payload);
        } catch (LinuxException e) {
            Log.warn("fuse: reply to request " + unique + " not delivered: " + e.getMessage());
        }
    }

    public void error(long unique, int errno) {
        position = HEADER;
        finish(unique, -errno);
    }

    private void finish(long unique, int error) {
        buffer.set(ValueLayout.JAVA_INT, 4, error);
        buffer.set(ValueLayout.JAVA_LONG, 8, unique);
        try {
            device.write(buffer, position);
        } catch (LinuxException e) {
            Log.warn("fuse: reply to request " + unique + " not delivered: " + e.getMessage());
        }
    }
}
