package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.fabric.link.Buffer;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;


/**
 * A STREAM link connection with what relaying needs, kept across the streams it carries: the upstream buffer
 * (with room for the frame header before the data), the recvmsg/sendmsg state of each direction and the poll
 * array of a relay on one thread.
 */
final class StreamChannel implements AutoCloseable {
    private static final long INITIAL_BUFFER = 16 * 1024;

    final LinkConnection link;
    final Buffer upBuffer = new Buffer(INITIAL_BUFFER, Frame.HEADER + Frame.MAX_PAYLOAD);
    final MessageIo upIo = new MessageIo();
    final MessageIo downIo = new MessageIo();
    /** Two {@code struct pollfd}: the local socket and the link, for a relay on one thread. */
    final MemorySegment pollFds = Arena.ofAuto().allocate(16, 8);

    StreamChannel(LinkConnection link) {
        this.link = link;
    }

    @Override
    public void close() {
        link.close();
    }
}
