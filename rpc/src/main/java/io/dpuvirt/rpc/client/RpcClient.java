package io.dpuvirt.rpc.client;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.rpc.remote.AuthType;
import io.dpuvirt.rpc.remote.ConnectFeature;
import io.dpuvirt.rpc.remote.ConnectOpenArgs;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCall;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.RemoteProgram;
import io.dpuvirt.rpc.wire.FrameReader;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.Keepalive;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.RemoteError;
import io.dpuvirt.rpc.wire.RpcMessage;
import io.dpuvirt.rpc.xdr.XdrDecoder;
import io.dpuvirt.rpc.xdr.XdrException;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A libvirt-protocol client on a unix socket, as the Java virsh uses it. Thread-safe: calls from
 * several threads are matched to their replies by serial. A reader thread answers the server's
 * keepalive PINGs and routes stream packets.
 *
 * <pre>{@code
 * try (RpcClient client = RpcClient.connect(socket)) {
 *     client.open(Optional.of("qemu:///system"), 0);
 *     String host = client.call(RemoteCalls.GET_HOSTNAME, Empty.INSTANCE).value();
 * }
 * }</pre>
 */
public final class RpcClient implements AutoCloseable {

    private final SocketChannel channel;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final AtomicInteger nextSerial = new AtomicInteger(1);
    private final Map<Integer, CompletableFuture<RpcMessage>> pendingReplies = new ConcurrentHashMap<>();
    private final Map<Integer, ClientStream> streams = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<Void>> pendingPong = new AtomicReference<>();
    private final Thread readerThread;
    private volatile IOException connectionLost;
    private boolean opened;
    private boolean closeCallbackRegistered;

    private RpcClient(SocketChannel channel) {
        this.channel = channel;
        this.reader = new FrameReader(channel);
        this.writer = new FrameWriter(channel);
        // A platform thread, not a virtual one: a virtual thread's blocking read parks on the JDK's poller,
        // whose thread sits in epoll_wait, and the JVM waits up to 300 ms at exit for threads in native code;
        // a short-lived client such as virsh would pay that on every run. close() wakes this one up.
        this.readerThread = Thread.ofPlatform().daemon().name("rpc-client-reader").unstarted(this::readLoop);
    }

    public static RpcClient connect(Path socket) throws IOException {
        RpcClient client = new RpcClient(SocketChannel.open(UnixDomainSocketAddress.of(socket)));
        client.readerThread.start();
        return client;
    }

    /**
     * Opens the connection the way virsh does: AUTH_LIST (only "none" is supported), keepalive feature,
     * CONNECT_OPEN, the event and close-callback features, and the close callback if the server has it.
     * {@code uri} is the URI without transport and socket (empty: let the server choose).
     */
    public void open(Optional<String> uri, int flags) throws IOException, RemoteCallException {
        var authTypes = call(RemoteCalls.AUTH_LIST, Empty.INSTANCE).types();
        if (!authTypes.contains(AuthType.NONE)) {
            throw new IOException("the server requires authentication " + authTypes + "; this client only does none");
        }
        supports(ConnectFeature.PROGRAM_KEEPALIVE);
        call(RemoteCalls.OPEN, new ConnectOpenArgs(uri, flags));
        opened = true;
        supports(ConnectFeature.REMOTE_EVENT_CALLBACK);
        if (supports(ConnectFeature.REMOTE_CLOSE_CALLBACK)) {
            call(RemoteCalls.REGISTER_CLOSE_CALLBACK, Empty.INSTANCE);
            closeCallbackRegistered = true;
        }
    }

    public boolean supports(ConnectFeature feature) throws IOException, RemoteCallException {
        return call(RemoteCalls.SUPPORTS_FEATURE, new IntValue(feature.code())).isTrue();
    }

    /** Calls a REMOTE procedure and waits for its ret. */
    public <A extends XdrWritable, R extends XdrWritable> R call(RemoteCall<A, R> signature, A args)
            throws IOException, RemoteCallException {
        RpcMessage reply = exchange(signature, args);
        return decodeRet(signature, reply);
    }

    /**
     * Calls a procedure that opens a stream (DOMAIN_OPEN_CONSOLE): the stream is listening before the
     * call goes out, so no packet that follows the reply is lost.
     */
    public <A extends XdrWritable> ClientStream openStream(RemoteCall<A, Empty> signature, A args)
            throws IOException, RemoteCallException {
        int serial = nextSerial.getAndIncrement();
        MessageHeader header = MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                signature.procedure().number(), serial);
        ClientStream stream = new ClientStream(header, writer, streams::remove);
        streams.put(serial, stream);
        try {
            decodeRet(signature, send(RpcMessage.of(header, args)));
            return stream;
        } catch (IOException | RemoteCallException | RuntimeException e) {
            streams.remove(serial);
            throw e;
        }
    }

    /** Sends a keepalive PING; true if the PONG came within {@code timeout}. */
    public boolean ping(Duration timeout) throws IOException {
        CompletableFuture<Void> pong = new CompletableFuture<>();
        if (!pendingPong.compareAndSet(null, pong)) {
            throw new IllegalStateException("a ping is already waiting for its pong");
        }
        try {
            writer.write(Keepalive.ping());
            pong.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw new IOException("connection lost while waiting for a pong", e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for a pong");
        } finally {
            pendingPong.set(null);
        }
    }

    /** Closes the connection as virsh does (unregister the close callback, CONNECT_CLOSE), then the socket. */
    @Override
    public void close() throws IOException {
        try {
            if (opened && connectionLost == null) {
                if (closeCallbackRegistered) {
                    call(RemoteCalls.UNREGISTER_CLOSE_CALLBACK, Empty.INSTANCE);
                }
                call(RemoteCalls.CLOSE, Empty.INSTANCE);
            }
        } catch (RemoteCallException e) {
            throw new IOException("closing the connection failed", e);
        } finally {
            channel.close();
        }
    }

    private <A extends XdrWritable> RpcMessage exchange(RemoteCall<A, ?> signature, A args) throws IOException {
        MessageHeader header = MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                signature.procedure().number(), nextSerial.getAndIncrement());
        return send(RpcMessage.of(header, args));
    }

    private RpcMessage send(RpcMessage call) throws IOException {
        int serial = call.header().serial();
        CompletableFuture<RpcMessage> reply = new CompletableFuture<>();
        pendingReplies.put(serial, reply);
        try {
            IOException lost = connectionLost;
            if (lost != null) {
                throw new IOException("connection lost", lost);
            }
            writer.write(call);
            return reply.get();
        } catch (ExecutionException e) {
            throw new IOException("connection lost while waiting for the reply to " + call.header(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for the reply to " + call.header());
        } finally {
            pendingReplies.remove(serial);
        }
    }

    private static <R extends XdrWritable> R decodeRet(RemoteCall<?, R> signature, RpcMessage reply)
            throws IOException, RemoteCallException {
        XdrDecoder in = reply.payloadDecoder();
        try {
            if (reply.header().status() == MessageStatus.ERROR) {
                throw new RemoteCallException(signature.procedure().name(), RemoteError.decode(in));
            }
            R ret = signature.ret().read(in);
            in.expectEnd();
            return ret;
        } catch (XdrException e) {
            throw new IOException("cannot decode the reply to " + signature.procedure() + ": " + e.getMessage(), e);
        }
    }

    private void readLoop() {
        IOException cause = new IOException("connection closed by the server");
        try {
            for (Optional<RpcMessage> next = reader.read(); next.isPresent(); next = reader.read()) {
                route(next.get());
            }
        } catch (IOException e) {
            cause = e;
        } finally {
            connectionLost = cause;
            pendingReplies.values().forEach(reply -> reply.completeExceptionally(connectionLost));
            streams.values().forEach(stream -> stream.connectionLost(connectionLost));
            CompletableFuture<Void> pong = pendingPong.get();
            if (pong != null) {
                pong.completeExceptionally(connectionLost);
            }
        }
    }

    private void route(RpcMessage message) throws IOException {
        MessageHeader header = message.header();
        if (Keepalive.isKeepalive(header)) {
            if (Keepalive.isPing(header)) {
                writer.write(Keepalive.pong());
            } else if (Keepalive.isPong(header)) {
                CompletableFuture<Void> pong = pendingPong.get();
                if (pong != null) {
                    pong.complete(null);
                }
            }
            return;
        }
        switch (header.type()) {
            case REPLY -> {
                CompletableFuture<RpcMessage> reply = pendingReplies.get(header.serial());
                if (reply != null) {
                    reply.complete(message);
                } else {
                    Log.warn("reply to no pending call: " + header);
                }
            }
            case STREAM -> {
                ClientStream stream = streams.get(header.serial());
                if (stream != null) {
                    stream.received(message);
                } else {
                    Log.debug("packet of no open stream: " + header);
                }
            }
            default -> Log.debug("ignoring " + header);
        }
    }
}
