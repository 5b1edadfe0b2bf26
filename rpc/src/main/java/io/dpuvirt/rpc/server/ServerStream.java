package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.RpcMessage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The server's end of a stream opened by a call: STREAM packets carrying the call's procedure and
 * serial. Data goes out as CONTINUE packets, end-of-file as an empty CONTINUE packet (as libvirtd
 * sends it: the libvirt client drops the connection on a STREAM OK it did not ask for, since OK only
 * confirms the client's own finish or abort), a failure as an ERROR packet with a {@code remote_error}.
 * Thread-safe; packets leave in the order they were sent.
 */
public final class ServerStream {
    /** libvirtd's packet size for stream data (VIR_NET_MESSAGE_LEGACY_PAYLOAD_MAX). */
    static final int CHUNK_SIZE = 256 * 1024;

    private final MessageHeader call;
    private final FrameWriter writer;
    private final StreamListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<RpcMessage> heldBack = new ArrayList<>();
    private boolean replySent;
    private boolean sentEnd;
    private boolean clientEnded;

    ServerStream(MessageHeader call, FrameWriter writer, StreamListener listener) {
        this.call = call;
        this.writer = writer;
        this.listener = listener;
    }

    /** Sends bytes to the client, in packets of at most 256 KiB; nothing for no bytes (empty means EOF). */
    public void send(byte[] data) throws IOException {
        for (int offset = 0; offset < data.length; offset += CHUNK_SIZE) {
            byte[] chunk = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + CHUNK_SIZE));
            emit(new RpcMessage(call.stream(MessageStatus.CONTINUE), chunk), false);
        }
    }

    /** Ends the stream: the client reads end-of-file, then finishes its side. */
    public void finish() throws IOException {
        emit(RpcMessage.empty(call.stream(MessageStatus.CONTINUE)), true);
    }

    /** Ends the stream with an error the client reports as its read's failure. */
    public void abort(RpcError error) throws IOException {
        emit(RpcMessage.of(call.stream(MessageStatus.ERROR), error.toRemoteError()), true);
    }

    int serial() {
        return call.serial();
    }

    /** The call's reply has gone out: what was held back may follow it. */
    void replySent() throws IOException {
        lock.lock();
        try {
            replySent = true;
            for (RpcMessage message : heldBack) {
                writer.write(message);
            }
            heldBack.clear();
        } finally {
            lock.unlock();
        }
    }

    void received(byte[] data) {
        listener.data(data);
    }

    /**
     * The client finished or aborted its side: acknowledge with an empty STREAM OK (both need one), after
     * anything we sent before, then tell the listener.
     */
    void endedByClient(StreamEnd end) throws IOException {
        lock.lock();
        try {
            clientEnded = true;
            writer.write(RpcMessage.empty(call.stream(MessageStatus.OK)));
        } finally {
            lock.unlock();
        }
        listener.closed(end);
    }

    /** The call that opened the stream failed: it never existed for the client, and sending on it fails. */
    void discard() {
        lock.lock();
        try {
            clientEnded = true;
            heldBack.clear();
        } finally {
            lock.unlock();
        }
    }

    void disconnected() {
        lock.lock();
        try {
            clientEnded = true;
        } finally {
            lock.unlock();
        }
        listener.closed(StreamEnd.DISCONNECTED);
    }

    private void emit(RpcMessage message, boolean isEnd) throws IOException {
        lock.lock();
        try {
            if (clientEnded) {
                throw new IOException("stream " + Integer.toUnsignedString(call.serial()) + " was closed by the client");
            }
            if (sentEnd) {
                throw new IOException("stream " + Integer.toUnsignedString(call.serial()) + " has already ended");
            }
            sentEnd = isEnd;
            if (replySent) {
                writer.write(message);
            } else {
                heldBack.add(message);
            }
        } finally {
            lock.unlock();
        }
    }
}
