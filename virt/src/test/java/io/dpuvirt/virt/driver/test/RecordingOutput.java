package io.dpuvirt.virt.driver.test;

import io.dpuvirt.virt.driver.ConsoleOutput;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** A console client that keeps what it received and counts its ends. */
final class RecordingOutput implements ConsoleOutput {
    private final StringBuffer text = new StringBuffer();
    final CountDownLatch ended = new CountDownLatch(1);
    private volatile int ends;

    @Override
    public void received(byte[] bytes) {
        text.append(new String(bytes, StandardCharsets.UTF_8));
    }

    @Override
    public void ended() {
        ends++;
        ended.countDown();
    }

    String text() {
        return text.toString();
    }

    int ends() {
        return ends;
    }
}
