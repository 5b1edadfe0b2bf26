package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A console session on a guest's character device socket: a reader passes what the guest writes to the
 * client's output; what the client types is written to the socket. The session ends when either side
 * closes (the guest's end: its hypervisor exited).
 */
final class SocketConsole implements ConsoleSession {
    private final ByteChannel channel;
    private final ConsoleOutput output;
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Writes from different callers one after the other, whole. */
    private final Object writing = new Object();

    private SocketConsole(ByteChannel channel, ConsoleOutput output) {
        this.channel = channel;
        this.output = output;
    }

    static SocketConsole attach(ByteChannel channel, ConsoleOutput output, String name) {
        SocketConsole console = new SocketConsole(channel, output);
        // a platform thread: the channel may be one whose reads are native calls (Host#connect)
        Thread.ofPlatform().daemon().name("console " + name).start(console::pump);
        return console;
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        synchronized (writing) { // not the channel's monitor: a close, which may take it, must not wait behind a write
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("console: closing its socket: " + e.getMessage());
        }
        end();
    }

    private void pump() {
        ByteBuffer buffer = ByteBuffer.allocate(8192);
        try {
            while (channel.read(buffer) >= 0) {
                buffer.flip();
                if (buffer.hasRemaining()) {
                    output.received(Arrays.copyOf(buffer.array(), buffer.limit()));
                }
                buffer.clear();
            }
        } catch (IOException e) {
            Log.debug("console: its socket ended: " + e.getMessage());
        }
        close();
    }

    private void end() {
        if (ended.compareAndSet(false, true)) {
            output.ended();
        }
    }
}
