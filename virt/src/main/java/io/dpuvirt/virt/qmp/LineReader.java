package io.dpuvirt.virt.qmp;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The lines of a monitor connection. QMP puts every message on a line of its own (strings escape their
 * line breaks), ended by {@code \n} (QEMU) or {@code \r\n} (StratoVirt).
 */
final class LineReader {
    /** Far more than any answer the drivers ask for; a longer line is a broken peer, not a message. */
    static final int MAX_LINE = 1 << 20;

    private final ReadableByteChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
    private byte[] line = new byte[1024];
    private int length;

    LineReader(ReadableByteChannel channel) {
        this.channel = channel;
        buffer.flip();
    }

    /** The next line without its end; empty at the end of the stream. */
    Optional<String> next() throws IOException {
        while (true) {
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    int end = length > 0 && line[length - 1] == '\r' ? length - 1 : length;
                    String text = new String(line, 0, end, StandardCharsets.UTF_8);
                    length = 0;
                    return Optional.of(text);
                }
                append(b);
            }
            buffer.clear();
            int read = channel.read(buffer);
            buffer.flip();
            if (read < 0) {
                return Optional.empty();
            }
        }
    }

    private void append(byte b) throws IOException {
        if (length == line.length) {
            if (length >= MAX_LINE) {
                throw new IOException("a line longer than " + MAX_LINE + " bytes");
            }
            line = java.util.Arrays.copyOf(line, Math.min(MAX_LINE, length * 2));
        }
        line[length++] = b;
    }
}
