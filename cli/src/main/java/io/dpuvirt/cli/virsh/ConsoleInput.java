package io.dpuvirt.cli.virsh;

import io.dpuvirt.common.linux.Libc;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

/**
 * What the user types, copied to a console on a thread of its own until the end of the input, the escape
 * character (on a terminal) or {@link #close()}. The thread waits for input in poll(2) with a timeout, never
 * in a read that nothing could end: once the console is over no thread may be left reading stdin, where
 * the interactive shell reads its next command.
 */
final class ConsoleInput implements AutoCloseable {
    /** Ctrl-]: virsh's escape character. */
    static final byte ESCAPE = 0x1d;
    /** How long a wait for input lasts before the thread looks whether it should stop. */
    private static final int POLL_MILLIS = 100;
    private static final int POLLIN = 0x1;
    private static final int BUFFER_BYTES = 4096;

    /** Where the input goes: the console's stream. */
    @FunctionalInterface
    interface Sink {
        void send(byte[] bytes) throws IOException;
    }

    private final int fd;
    private final boolean interactive;
    private final Sink sink;
    private final CompletableFuture<Void> ended = new CompletableFuture<>();
    private final Thread thread;
    private volatile boolean closed;

    private ConsoleInput(int fd, boolean interactive, Sink sink) {
        this.fd = fd;
        this.interactive = interactive;
        this.sink = sink;
        // a platform thread: poll and read block their thread; a daemon, so that nothing here keeps virsh alive
        this.thread = Thread.ofPlatform().daemon().name("console-input").unstarted(this::copy);
    }

    /** Copies {@code fd} to {@code sink}; on a terminal ({@code interactive}) the escape character ends the copy. */
    static ConsoleInput start(int fd, boolean interactive, Sink sink) {
        ConsoleInput input = new ConsoleInput(fd, interactive, sink);
        input.thread.start();
        return input;
    }

    /** Completes when the user is done: the input ended or the escape character came; fails if the input or the sink did. */
    CompletableFuture<Void> ended() {
        return ended;
    }

    private void copy() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(BUFFER_BYTES);
            while (!closed) {
                if (Libc.pollOne(fd, POLLIN, POLL_MILLIS) == 0) {
                    continue;
                }
                long read = Libc.read(fd, buffer, BUFFER_BYTES);
                if (read == 0) {
                    break;
                }
                byte[] bytes = buffer.asSlice(0, read).toArray(JAVA_BYTE);
                int escape = interactive ? indexOf(bytes, ESCAPE) : -1;
                if (escape != 0) {
                    sink.send(escape < 0 ? bytes : Arrays.copyOf(bytes, escape));
                }
                if (escape >= 0) {
                    break;
                }
            }
            ended.complete(null);
        } catch (IOException e) {
            ended.completeExceptionally(e);
        }
    }

    /** Stops the copy and waits for its thread: once this returns, nothing here reads the input any more. */
    @Override
    public void close() {
        closed = true;
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
