package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.MessageIo;
import io.dpuvirt.fabric.link.Buffer;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;

import java.io.IOException;
import java.time.Duration;

/**
 * A STREAM link connection with what relaying needs, kept across the streams it carries: the upstream buffer
 * (with room for the frame header before the data) and the recvmsg/sendmsg state of each direction.
 */
final class StreamChannel implements AutoCloseable {
    private static final long INITIAL_BUFFER = 16 * 1024;

    final LinkConnection link;
    final Buffer upBuffer = new Buffer(INITIAL_BUFFER, Frame.HEADER + Frame.MAX_PAYLOAD);
    final MessageIo upIo = new MessageIo();
    final MessageIo downIo = new MessageIo();

    StreamChannel(LinkConnection link) {
        this.link = link;
    }

    /** The next frame, or an IOException when none comes within {@code timeout}. */
    Frame receive(Duration timeout) throws IOException {
        link.socket().setReceiveTimeout(timeout);
        try {
            return link.receive();
        } catch (io.dpuvirt.common.linux.LinuxException e) {
            if (e.is(io.dpuvirt.common.linux.Errno.EAGAIN)) {
                throw new IOException("peer " + link.peer() + " did not answer within " + timeout.toMillis() + " ms");
            }
            throw e;
        } finally {
            link.socket().setReceiveTimeout(Duration.ZERO);
        }
    }

    @Override
    public void close() {
        link.close();
    }
}
