package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The console of a test guest, a terminal that echoes: it greets the client, then sends back what the
 * client types, a carriage return (the Enter key on a raw terminal) as a new line.
 */
final class TestConsole implements ConsoleSession {
    private final ConsoleOutput output;
    private final Consumer<TestConsole> onClose;
    private final AtomicBoolean closed = new AtomicBoolean();

    TestConsole(ConsoleOutput output, Consumer<TestConsole> onClose) {
        this.output = output;
        this.onClose = onClose;
    }

    static String greeting(String domain) {
        return "Test guest '" + domain + "': what you type is echoed back.\r\n";
    }

    void greet(String domain) {
        output.received(greeting(domain).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void send(byte[] bytes) {
        ByteArrayOutputStream echo = new ByteArrayOutputStream(bytes.length + 8);
        for (byte b : bytes) {
            if (b == '\r') {
                echo.write('\r');
                echo.write('\n');
            } else {
                echo.write(b);
            }
        }
        output.received(echo.toByteArray());
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            onClose.accept(this);
            output.ended();
        }
    }
}
