package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A console session that holds its domain's single console slot while it lasts: it frees the slot when
 * the client detaches or the guest's side ends, and tells the client's output of the end exactly once.
 */
final class ExclusiveConsole implements ConsoleSession, ConsoleOutput {
    private final AtomicReference<ConsoleSession> slot;
    private final ConsoleOutput output;
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile ConsoleSession guestSide;

    ExclusiveConsole(AtomicReference<ConsoleSession> slot, ConsoleOutput output) {
        this.slot = slot;
        this.output = output;
    }

    /** Connects the guest's side, once the slot is this session's. */
    void attach(ConsoleSession guestSession) {
        guestSide = guestSession;
    }

    @Override
    public void send(byte[] bytes) throws IOException {
        guestSide.send(bytes);
    }

    @Override
    public void close() {
        ConsoleSession guest = guestSide;
        if (guest != null) {
            guest.close();
        }
        ended();
    }

    @Override
    public void received(byte[] bytes) {
        output.received(bytes);
    }

    @Override
    public void ended() {
        if (ended.compareAndSet(false, true)) {
            slot.compareAndSet(this, null);
            output.ended();
        }
    }
}
