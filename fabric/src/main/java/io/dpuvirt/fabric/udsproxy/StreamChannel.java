package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.fabric.link.Buffer;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkProtocolException;

import java.io.IOException;
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

    /**
     * Reads the peer's frames up to its END of the stream, dropping what the stream carried before it (the other
     * side stopped reading), so that the channel is in step for the next stream. On the dialing side a refusal of
     * the open ({@code refusalEnds}: OPEN_ERROR) is the serving side's END too; anything else is a protocol error.
     */
    void skipToPeerEnd(boolean refusalEnds) throws IOException {
        while (true) {
            int type = link.receive().type();
            if (type == UdsFrame.SHUT_WR || type == UdsFrame.CLOSE || refusalEnds && type == UdsFrame.OPEN_ERROR) {
                return;
            }
            if (type != UdsFrame.DATA && type != UdsFrame.FDS) {
                throw new LinkProtocolException("unexpected frame " + type + " before the peer's end of a stream");
            }
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
