package io.dpuvirt.virt.qmp;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.host.SocketWaiter;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.function.BooleanSupplier;

/**
 * Connects to a monitor socket that may not exist yet ({@link SocketWaiter}: a hypervisor binds it a moment after
 * it starts, later still when it runs on the other side of a DPU link) and completes the QMP handshake. The seeds'
 * libvirt needed a patch for this (three tries a second apart); here it is the rule.
 */
public final class MonitorConnector {
    private final SocketWaiter.SocketOpener opener;
    private final Duration commandTimeout;

    /** {@code commandTimeout} bounds each step of the handshake. */
    public MonitorConnector(SocketWaiter.SocketOpener opener, Duration commandTimeout) {
        this.opener = opener;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Connects to {@code socket} and completes the handshake, retrying within {@code patience} while
     * {@code worthWaiting} holds (the hypervisor process still lives).
     */
    public QmpClient connect(Path socket, Duration patience, BooleanSupplier worthWaiting, QmpListener listener)
            throws QmpException {
        ByteChannel channel;
        try {
            channel = SocketWaiter.connect(opener, socket, patience, worthWaiting);
        } catch (IOException e) {
            throw new QmpException("cannot connect to monitor " + socket + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for monitor " + socket, e);
        }
        return QmpClient.handshake(channel, socket.toString(), listener, commandTimeout);
    }

    /**
     * Begins connecting to {@code socket} on a thread of its own, as {@link #connect} does, so that the wait for the
     * socket can begin before its hypervisor is started: on a remote host the HOST's udsproxyd then already waits
     * for the socket when the hypervisor binds it, instead of being asked only once the start has been answered.
     * {@code worthWaiting} must hold until the start is known to have failed.
     */
    public CompletableFuture<ByteChannel> connectAhead(Path socket, Duration patience, BooleanSupplier worthWaiting) {
        CompletableFuture<ByteChannel> channel = new CompletableFuture<>();
        // a platform thread: the opener may block in native calls (Host#connect across the link)
        Thread.ofPlatform().daemon().name("monitor-connect " + socket).start(() -> {
            try {
                channel.complete(SocketWaiter.connect(opener, socket, patience, worthWaiting));
            } catch (IOException | InterruptedException | RuntimeException e) {
                channel.completeExceptionally(e);
            }
        });
        return channel;
    }

    /** The handshake once the connection begun by {@link #connectAhead} is made. */
    public QmpClient handshake(CompletableFuture<ByteChannel> ahead, Path socket, QmpListener listener) throws QmpException {
        ByteChannel channel;
        try {
            channel = ahead.get();
        } catch (ExecutionException e) {
            throw new QmpException("cannot connect to monitor " + socket + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ahead.thenAccept(MonitorConnector::closeQuietly); // nobody takes it any more
            throw new QmpException("interrupted while waiting for monitor " + socket, e);
        }
        return QmpClient.handshake(channel, socket.toString(), listener, commandTimeout);
    }

    /** Closes a monitor connection nobody needs (a start that failed or was given up). */
    public static void closeQuietly(ByteChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("closing a monitor connection nobody needs: " + e.getMessage());
        }
    }
}
