package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.ConnectFeature;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.Procedure;
import io.dpuvirt.rpc.remote.RemoteProgram;
import io.dpuvirt.rpc.wire.FrameReader;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.Keepalive;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.MessageType;
import io.dpuvirt.rpc.wire.RpcMessage;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client made of hand-made frames on a unix socket, for watching what the server sends unasked: a thread reads
 * everything, counts the server's keepalive PINGs and answers them (or, told so, stays silent like a client whose
 * machine vanished), keeps replies and PONGs for the test, and notes when the server closes the connection.
 */
final class FrameClient implements AutoCloseable {
    private static final long REPLY_TIMEOUT_SECONDS = 20;

    private final SocketChannel socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final boolean answersPings;
    private final AtomicInteger nextSerial = new AtomicInteger(1);
    private final AtomicInteger pingsReceived = new AtomicInteger();
    private final BlockingQueue<RpcMessage> received = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> closedByServer = new CompletableFuture<>();
    private final Thread readerThread;

    private FrameClient(SocketChannel socket, boolean answersPings) {
        this.socket = socket;
        this.reader = new FrameReader(socket);
        this.writer = new FrameWriter(socket);
        this.answersPings = answersPings;
        this.readerThread = Thread.ofPlatform().daemon().name("frame-client-reader").start(this::readLoop);
    }

    static FrameClient answeringPings(Path socket) throws IOException {
        return new FrameClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)), true);
    }

    /** A client that reads but never answers a PING. */
    static FrameClient ignoringPings(Path socket) throws IOException {
        return new FrameClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)), false);
    }

    /** Calls a REMOTE procedure and returns its reply, as a client that neither knows nor cares about its ret. */
    RpcMessage call(Procedure procedure, XdrWritable args) throws Exception {
        int serial = nextSerial.getAndIncrement();
        writer.write(RpcMessage.of(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION, procedure.number(),
                serial), args));
        RpcMessage reply = next();
        assertThat(reply.header().serial()).as("serial of the reply to " + procedure).isEqualTo(serial);
        return reply;
    }

    /** CONNECT_SUPPORTS_FEATURE about keepalive, as virsh asks it while it connects: the server says yes. */
    void askAboutKeepalive() throws Exception {
        RpcMessage reply = call(Procedure.CONNECT_SUPPORTS_FEATURE, new IntValue(ConnectFeature.PROGRAM_KEEPALIVE.code()));
        assertThat(reply.header().status()).isEqualTo(MessageStatus.OK);
        assertThat(IntValue.decode(reply.payloadDecoder()).isTrue()).isTrue();
    }

    /** Sends a PING of its own and returns what came back. */
    RpcMessage ping() throws Exception {
        writer.write(Keepalive.ping());
        return next();
    }

    int pingsReceived() {
        return pingsReceived.get();
    }

    /** Completes when the connection ends: the server closed it (unless the test did). */
    CompletableFuture<Void> closedByServer() {
        return closedByServer;
    }

    @Override
    public void close() throws Exception {
        socket.close();
        readerThread.join();
    }

    private RpcMessage next() throws Exception {
        RpcMessage message = received.poll(REPLY_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertThat(message).as("an answer within " + REPLY_TIMEOUT_SECONDS + " s").isNotNull();
        return message;
    }

    private void readLoop() {
        try {
            for (Optional<RpcMessage> next = reader.read(); next.isPresent(); next = reader.read()) {
                RpcMessage message = next.get();
                if (Keepalive.isPing(message.header())) {
                    pingsReceived.incrementAndGet();
                    if (answersPings) {
                        writer.write(Keepalive.pong());
                    }
                } else if (message.header().type() != MessageType.STREAM) {
                    received.add(message);
                }
            }
        } catch (IOException e) {
            // the socket was closed on this side, or broke: either way nothing more comes
        } finally {
            closedByServer.complete(null);
        }
    }
}
