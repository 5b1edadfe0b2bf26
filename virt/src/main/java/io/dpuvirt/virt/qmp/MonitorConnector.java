package io.dpuvirt.virt.qmp;

import java.io.IOException;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Connects to a monitor socket that may not exist yet: a hypervisor binds it a moment after it starts
 * (later still when it runs on the other side of a DPU link), so connecting is retried — after 1 ms, then
 * every 2 to 5 ms — until the deadline, or until the process that should bind it is
 * gone. The seeds' libvirt needed a patch for this (three tries a second apart); here it is the rule.
 */
public final class MonitorConnector {
    // A failed connect() to a socket not there yet is one cheap syscall, and every millisecond waited past the
    // socket's appearance is added to the guest's start (for a remote host, udsproxyd's mirror appears ~2 ms after
    // the HOST's socket): poll often rather than back off far.
    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(5);

    /** Opens a connection to a unix socket: {@code Host::connect}, so that it works across hosts. */
    @FunctionalInterface
    public interface SocketOpener {
        SocketChannel connect(Path socket) throws IOException;
    }

    private final SocketOpener opener;
    private final Duration commandTimeout;

    /** {@code commandTimeout} bounds each step of the handshake. */
    public MonitorConnector(SocketOpener opener, Duration commandTimeout) {
        this.opener = opener;
        this.commandTimeout = commandTimeout;
    }

    /**
     * Connects to {@code socket} and completes the handshake, retrying within {@code patience} while
     * {@code worthWaiting} holds (the hypervisor process still lives).
     */
    public QmpClient connect(Path socket, Duration patience, BooleanSupplier worthWaiting, QmpListener listener)
            throws QmpException {
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            SocketChannel channel;
            try {
                channel = opener.connect(socket);
            } catch (IOException e) {
                if (!worthWaiting.getAsBoolean()) {
                    throw new QmpException("cannot connect to monitor " + socket + ": its process is gone ("
                            + e.getMessage() + ")", e);
                }
                if (System.nanoTime() + pause.toNanos() > deadline) {
                    throw new QmpException("cannot connect to monitor " + socket + " within " + patience.toMillis()
                            + " ms: " + e.getMessage(), e);
                }
                sleep(pause, socket);
                pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
                continue;
            }
            return QmpClient.handshake(channel, socket.toString(), listener, commandTimeout);
        }
    }

    private static void sleep(Duration pause, Path socket) throws QmpException {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("interrupted while waiting for monitor " + socket, e);
        }
    }
}
