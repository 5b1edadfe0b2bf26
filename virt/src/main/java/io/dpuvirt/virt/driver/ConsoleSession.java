package io.dpuvirt.virt.driver;

import java.io.IOException;

/** A client attached to a guest's console: what it types goes to the guest. */
public interface ConsoleSession {
    void send(byte[] bytes) throws IOException;

    /** Detaches; the output is told {@link ConsoleOutput#ended()} if it was not already. */
    void close();
}
