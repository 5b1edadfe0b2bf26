package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.Signals;
import io.dpuvirt.common.linux.WindowSize;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A program running under rexec_server, seen from the process that started it: its pid on the server, its stdin
 * (an {@link OutputStream}; closing it delivers end of file), its stdout and stderr (sinks given at start, or
 * streams), signals, and its exit status.
 *
 * <p>A reader thread takes the server's frames. Closing this object, or this process dying, ends the connection:
 * the server then terminates the program (SIGTERM to its process group, SIGKILL after a grace period).
 */
public final class RemoteProcess implements AutoCloseable {
    private static final int STDOUT = 1, STDERR = 2;

    private final Wire wire;
    private final FrameReader reader;
    private final int pid;
    private final String program;
    private final OutputSink[] sinks;
    private final InputStream stdoutStream;
    private final InputStream stderrStream;
    private final OutputStream stdin = new StdinStream();
    /** Frames written by the caller's threads: one at a time, each in one write. */
    private final ByteBuffer outgoing = ByteBuffer.allocateDirect(Protocol.HEADER + Protocol.MAX_DATA);
    private final Object creditLock = new Object();
    private int stdinCredit = Protocol.STDIN_WINDOW;
    private final CountDownLatch ended = new CountDownLatch(1);
    private volatile ExitStatus exitStatus;
    private volatile IOException failure;
    private volatile boolean finished;

    RemoteProcess(Wire wire, FrameReader reader, int pid, String program, OutputSink stdout, OutputSink stderr) {
        this.wire = wire;
        this.reader = reader;
        this.pid = pid;
        this.program = program;
        OutputPipe stdoutPipe = stdout == null ? new OutputPipe() : null;
        OutputPipe stderrPipe = stderr == null ? new OutputPipe() : null;
        this.stdoutStream = stdoutPipe == null ? null : stdoutPipe.input();
        this.stderrStream = stderrPipe == null ? null : stderrPipe.input();
        this.sinks = new OutputSink[] {null, stdout == null ? stdoutPipe : stdout, stderr == null ? stderrPipe : stderr};
        Thread.ofPlatform().daemon().name("rexec " + program + " " + pid).start(this::receive);
    }

    /** The program's pid on the server's machine. */
    public long pid() {
        return pid;
    }

    /** The program's stdin; {@code close()} delivers end of file. Writes wait while the server is behind. */
    public OutputStream stdin() {
        return stdin;
    }

    /** The program's stdout as a stream, when it was started without a stdout sink. */
    public InputStream stdout() {
        if (stdoutStream == null) {
            throw new IllegalStateException("stdout goes to the sink given at start");
        }
        return stdoutStream;
    }

    public InputStream stderr() {
        if (stderrStream == null) {
            throw new IllegalStateException("stderr goes to the sink given at start");
        }
        return stderrStream;
    }

    /** Sends {@code signal} to the program (not its process group), as kill(2) would; nothing once it has exited. */
    public void signal(int signal) throws IOException {
        writeControl(Protocol.SIGNAL, buffer -> buffer.putInt(signal));
    }

    public void kill() throws IOException {
        signal(Signals.SIGKILL);
    }

    /** The new size of the program's terminal (when it has one); the server's kernel sends it SIGWINCH. */
    public void resize(WindowSize size) throws IOException {
        writeControl(Protocol.RESIZE, buffer -> buffer.putShort((short) size.rows()).putShort((short) size.columns())
                .putShort((short) size.xPixels()).putShort((short) size.yPixels()));
    }

    /** Waits for the program to end; an IOException if the connection ended first (server gone, link cut). */
    public ExitStatus waitFor() throws IOException {
        try {
            ended.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + program + " (pid " + pid + ")");
        }
        return result();
    }

    /** Like {@link #waitFor()}, giving up (empty) after {@code timeout}. */
    public Optional<ExitStatus> waitFor(Duration timeout) throws IOException {
        try {
            if (!ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                return Optional.empty();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for " + program + " (pid " + pid + ")");
        }
        return Optional.of(result());
    }

    private ExitStatus result() throws IOException {
        if (exitStatus == null) {
            throw new IOException(failure.getMessage(), failure);
        }
        return exitStatus;
    }

    /** Ends the connection: if the program still runs, the server terminates it. */
    @Override
    public void close() {
        wire.abort();
    }

    private void receive() {
        try {
            FrameReader.Frame frame;
            while ((frame = reader.next()) != null) {
                switch (frame.type()) {
                    case Protocol.STDOUT -> deliver(STDOUT, frame.payload());
                    case Protocol.STDERR -> deliver(STDERR, frame.payload());
                    case Protocol.STDIN_ACK -> addStdinCredit(frame.payload().getInt(0));
                    case Protocol.EXITED -> {
                        exitStatus = ExitStatus.decode(frame.payload());
                        return;
                    }
                    default -> throw new ProtocolException("rexec_server sent an unexpected " + frame.describe());
                }
            }
            failure = new IOException(lostConnection() + ": it was closed");
        } catch (IOException e) {
            failure = new IOException(lostConnection() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            // a short frame, or the caller's output sink failing: waitFor() reports it rather than a null status
            failure = new IOException(program + " (pid " + pid + "): reading its output failed: " + e, e);
        } finally {
            finish();
        }
    }

    private String lostConnection() {
        return "lost the connection to rexec_server before " + program + " (pid " + pid + ") exited";
    }

    private void deliver(int stream, ByteBuffer data) throws IOException {
        OutputSink sink = sinks[stream];
        if (sink == null) {
            return; // closed by its owner: what the program still writes is dropped
        }
        try {
            sink.write(data);
        } catch (IOException e) {
            sinks[stream] = null;
            closeQuietly(sink);
            writeControl(Protocol.OUTPUT_CLOSED, buffer -> buffer.put((byte) stream));
        }
    }

    private void finish() {
        synchronized (outgoing) {
            finished = true;
        }
        closeQuietly(sinks[STDOUT]);
        closeQuietly(sinks[STDERR]);
        synchronized (creditLock) {
            creditLock.notifyAll();
        }
        // the waiters first: closing a JDK socket channel loads and initializes its socket-option classes, some
        // milliseconds in a client that starts cold, and rexec exits as soon as waitFor() returns
        ended.countDown();
        wire.close();
    }

    private static void closeQuietly(OutputSink sink) {
        if (sink != null) {
            try {
                sink.close();
            } catch (IOException ignored) {
                // the sink's owner learns of its own failures; the program's end is what matters here
            }
        }
    }

    /** Writes one small frame; after the program's end there is nobody to tell, and nothing is written. */
    private void writeControl(int type, java.util.function.Consumer<ByteBuffer> payload) throws IOException {
        synchronized (outgoing) {
            if (finished) {
                return;
            }
            outgoing.clear().position(Protocol.HEADER);
            payload.accept(outgoing);
            int length = outgoing.position() - Protocol.HEADER;
            outgoing.flip();
            Protocol.putHeader(outgoing.duplicate(), type, length);
            wire.write(outgoing);
        }
    }

    private void addStdinCredit(int bytes) {
        synchronized (creditLock) {
            stdinCredit += bytes;
            creditLock.notifyAll();
        }
    }

    /** Up to {@code wanted} bytes of credit, waiting for some; 0 once the program has ended. */
    private int takeStdinCredit(int wanted) throws InterruptedIOException {
        synchronized (creditLock) {
            while (stdinCredit == 0 && !finished) {
                try {
                    creditLock.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while writing to " + program + "'s stdin");
                }
            }
            if (finished) {
                return 0;
            }
            int granted = Math.min(wanted, stdinCredit);
            stdinCredit -= granted;
            return granted;
        }
    }

    private final class StdinStream extends OutputStream {
        private boolean closed;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
            while (length > 0) {
                int chunk = takeStdinCredit(Math.min(length, Protocol.MAX_DATA));
                if (chunk == 0) {
                    throw new IOException(program + " (pid " + pid + ") has ended: its stdin is gone");
                }
                int from = offset;
                writeControl(Protocol.STDIN, buffer -> buffer.put(bytes, from, chunk));
                offset += chunk;
                length -= chunk;
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                writeControl(Protocol.STDIN_EOF, buffer -> { });
            }
        }
    }
}
