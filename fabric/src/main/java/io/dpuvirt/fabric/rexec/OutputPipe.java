package io.dpuvirt.fabric.rexec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * An {@link OutputSink} read as an {@link InputStream}, like {@link Process#getInputStream()}: a bounded buffer, so
 * a program whose output nobody reads is held up (never buffered without limit). Closing the stream closes the
 * program's side, as closing a pipe's read end does.
 */
final class OutputPipe implements OutputSink {
    private static final int CAPACITY = 256 * 1024;

    private final byte[] ring = new byte[CAPACITY];
    private int head;
    private int count;
    private boolean ended;
    private boolean readerClosed;
    private final InputStream input = new Input();

    InputStream input() {
        return input;
    }

    @Override
    public synchronized void write(ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            while (count == CAPACITY && !readerClosed) {
                awaitChange();
            }
            if (readerClosed) {
                throw new IOException("the program's output stream was closed by its reader");
            }
            int tail = (head + count) % CAPACITY;
            int n = Math.min(data.remaining(), Math.min(CAPACITY - count, CAPACITY - tail));
            data.get(ring, tail, n);
            count += n;
            notifyAll();
        }
    }

    @Override
    public synchronized void close() {
        ended = true;
        notifyAll();
    }

    private void awaitChange() throws IOException {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException("interrupted while waiting on a remote program's output");
        }
    }

    private final class Input extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] into, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, into.length);
            if (length == 0) {
                return 0;
            }
            synchronized (OutputPipe.this) {
                while (count == 0 && !ended && !readerClosed) {
                    awaitChange();
                }
                if (count == 0) {
                    return -1;
                }
                int n = Math.min(length, Math.min(count, CAPACITY - head));
                System.arraycopy(ring, head, into, offset, n);
                head = (head + n) % CAPACITY;
                count -= n;
                OutputPipe.this.notifyAll();
                return n;
            }
        }

        @Override
        public int available() {
            synchronized (OutputPipe.this) {
                return count;
            }
        }

        @Override
        public void close() {
            synchronized (OutputPipe.this) {
                readerClosed = true;
                count = 0;
                OutputPipe.this.notifyAll();
            }
        }
    }
}
