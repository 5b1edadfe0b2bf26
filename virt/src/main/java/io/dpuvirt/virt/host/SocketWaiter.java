package io.dpuvirt.virt.host;

import java.io.IOException;
import java.nio.channels.ByteChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Connects to a unix socket that a process binds soon, or that udsproxyd mirrors soon: a hypervisor binds its
 * monitor a moment after it starts, and on a DPU each of its sockets is reachable only once udsproxyd has seen it on
 * the HOST and made its mirror (a few ms, at most about 250 ms), so a console opened right after a start can find no
 * socket yet. Connecting is retried — after 1 ms, then every 2 to 5 ms — until the deadline, or until the process
 * that binds the socket is gone. An opener that can wait where the socket is (the HOST's udsproxyd, dialed from the
 * DPU) is let wait up to half a second a try: it connects as soon as the socket is there, without a round trip per try.
 */
public final class SocketWaiter {
    // A failed connect() to a socket not there yet is one cheap syscall, and every millisecond waited past the
    // socket's appearance is added to what waits for it (a guest's start): poll often rather than back off far.
    private static final Duration FIRST_PAUSE = Duration.ofMillis(1);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(5);

    private static final Duration LONGEST_WAIT_A_TRY = Duration.ofMillis(500);

    /**
     * Opens a connection to a unix socket: {@code Host::connect}, so that it works across hosts. One that can may
     * wait up to {@code mayWait} for a socket that is not there yet; others fail at once.
     */
    @FunctionalInterface
    public interface SocketOpener {
        ByteChannel connect(Path socket, Duration mayWait) throws IOException;
    }

    private SocketWaiter() {
    }

    /**
     * Connects to {@code socket}, retrying within {@code patience} while {@code worthWaiting} holds (the process
     * that should bind it still lives). The IOException of the last attempt says why it failed, and whether the
     * process was gone or the time up.
     */
    public static ByteChannel connect(SocketOpener opener, Path socket, Duration patience,
                                        BooleanSupplier worthWaiting) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        Duration pause = FIRST_PAUSE;
        while (true) {
            long left = deadline - System.nanoTime();
            try {
                return opener.connect(socket, Duration.ofNanos(Math.clamp(left, 0, LONGEST_WAIT_A_TRY.toNanos())));
            } catch (IOException e) {
                if (!worthWaiting.getAsBoolean()) {
                    throw new IOException("its process is gone (" + e.getMessage() + ")", e);
                }
                if (System.nanoTime() + pause.toNanos() > deadline) {
                    throw new IOException("not there within " + patience.toMillis() + " ms: " + e.getMessage(), e);
                }
            }
            Thread.sleep(pause);
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }
}
