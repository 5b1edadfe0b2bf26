package io.dpuvirt.rfs.server;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.rfs.wire.MessageType;
import io.dpuvirt.rfs.wire.Op;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * A client that speaks the rfs protocol by hand, one request at a time, and can send what no well-behaved client
 * would (paths with {@code ..}, absolute paths, paths through symlinks): the server must refuse them all.
 */
final class RawClient implements AutoCloseable {
    /** The server's answer: its errno (0: success) and, for a success, the bytes of the result. */
    record Answer(int errno, byte[] result) {
        String errnoName() {
            return errno == 0 ? "ok" : Errno.name(errno);
        }
    }

    private final LinkConnection connection;
    private long nextId = 1;

    private RawClient(LinkConnection connection) {
        this.connection = connection;
    }

    /** Connects and asks for {@code exportPath}; returns the refusal's errno name instead when refused. */
    static Object connect(LinkEndpoint endpoint, String exportPath) throws IOException {
        LinkConnection connection = endpoint.dial(ChannelKind.RFS);
        WireWriter hello = new WireWriter(256).u32(MessageType.PROTOCOL_VERSION).string(exportPath);
        connection.sendInPlace(MessageType.HELLO, 0, hello.frame(), hello.length());
        Frame answer = connection.receive();
        if (answer.type() == MessageType.REFUSED) {
            int errno = new WireReader(answer.payload()).u32();
            connection.close();
            return Errno.name(errno);
        }
        return new RawClient(connection);
    }

    Answer call(Op op, Consumer<WireWriter> arguments) throws IOException {
        WireWriter out = new WireWriter(1024).u64(nextId++).u8(op.code()).u32(0).u32(0);
        arguments.accept(out);
        connection.sendInPlace(MessageType.REQUEST, 0, out.frame(), out.length());
        Frame reply = connection.receive();
        WireReader in = new WireReader(reply.payload());
        in.u64();
        int errno = in.u32();
        byte[] all = reply.bytes();
        return new Answer(errno, java.util.Arrays.copyOfRange(all, 12, all.length));
    }

    String errnoOf(Op op, Consumer<WireWriter> arguments) throws IOException {
        return call(op, arguments).errnoName();
    }

    @Override
    public void close() {
        connection.close();
    }
}
