package io.dpuvirt.rpc.client;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.RemoteError;
import io.dpuvirt.rpc.wire.RpcMessage;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.IntConsumer;

/**
 * The client's end of a stream opened by a call (a console, for instance): read what the server
 * sends (an empty CONTINUE packet is its end-of-file), write to it, and finish or abort it; both wait
 * for the server's empty STREAM OK confirmation.
 */
public final class ClientStream implements AutoCloseable {
    private sealed interface Event {
    }

    private record Data(byte[] bytes) implements Event {
    }

    private record End() implements Event {
    }

    private record Failure(RemoteError error) implements Event {
    }

    private static final Event END = new End();

    private final MessageHeader call;
    private final FrameWriter writer;
    private final IntConsumer unregister;
    private final BlockingQueue<Event> incoming = new LinkedBlockingQueue<>();
    private volatile CompletableFuture<Void> acknowledgement;
    private boolean endOfStream;

    ClientStream(MessageHeader call, FrameWriter writer, IntConsumer unregister) {
        this.call = call;
        this.writer = writer;
        this.unregister = unregister;
    }

    /** The next bytes the server sent, waiting for them; empty once the server ended the stream. */
    public Optional<byte[]> receive() throws InterruptedException, RemoteCallException {
        if (endOfStream) {
            return Optional.empty();
        }
        Event event = incoming.take();
        return switch (event) {
            case Data data -> Optional.of(data.bytes());
            case End end -> {
                endOfStream = true;
                yield Optional.empty();
            }
            case Failure failure -> {
                endOfStream = true;
                throw new RemoteCallException("stream " + call.procedure(), failure.error());
            }
        };
    }

    /** Sends bytes to the server; not empty, which would read as end-of-file. */
    public void send(byte[] data) throws IOException {
        if (data.length == 0) {
            throw new IllegalArgumentException("an empty packet means end-of-file: finish() the stream instead");
        }
        writer.write(new RpcMessage(call.stream(MessageStatus.CONTINUE), data));
    }

    /** Ends the stream normally and waits for the server to acknowledge. */
    public void finish() throws IOException, InterruptedException {
        end(MessageStatus.OK);
    }

    /** Ends the stream as failed and waits for the server to acknowledge. */
    public void abort() throws IOException, InterruptedException {
        end(MessageStatus.ERROR);
    }

    /** Finishes the stream unless it was already finished or aborted. */
    @Override
    public void close() throws IOException {
        if (acknowledgement == null) {
            try {
                finish();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while finishing stream " + call.procedure());
            }
        }
    }

    /** A STREAM packet from the server, routed here by the client's reader thread. */
    void received(RpcMessage packet) {
        CompletableFuture<Void> pending = acknowledgement;
        switch (packet.header().status()) {
            case CONTINUE -> incoming.add(packet.payloadLength() == 0 ? END : new Data(packet.payload()));
            case OK -> {
                if (pending != null) {
                    pending.complete(null);
                } else {
                    Log.warn("unrequested confirmation on stream " + call);
                }
            }
            case ERROR -> {
                RemoteError error = RemoteError.decode(packet.payloadDecoder());
                if (pending != null) {
                    pending.completeExceptionally(new RemoteCallException("stream " + call.procedure(), error));
                } else {
                    incoming.add(new Failure(error));
                }
            }
        }
    }

    void connectionLost(IOException cause) {
        CompletableFuture<Void> pending = acknowledgement;
        if (pending != null) {
            pending.completeExceptionally(cause);
        }
        incoming.add(END);
    }

    private void end(MessageStatus status) throws IOException, InterruptedException {
        if (acknowledgement != null) {
            throw new IllegalStateException("stream already ended");
        }
        acknowledgement = new CompletableFuture<>();
        try {
            writer.write(RpcMessage.empty(call.stream(status)));
            acknowledgement.get();
        } catch (ExecutionException e) {
            throw new IOException("stream " + call.procedure() + " did not end cleanly: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            unregister.accept(call.serial());
        }
    }
}
