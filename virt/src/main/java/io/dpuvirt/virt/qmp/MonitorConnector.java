package io.dpuvirt.virt.qmp;

import io.dpuvirt.virt.host.SocketWaiter;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
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
}
