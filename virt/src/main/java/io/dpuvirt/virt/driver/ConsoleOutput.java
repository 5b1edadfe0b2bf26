package io.dpuvirt.virt.driver;

/** Where a console's output goes: the guest's bytes, then the end of the session. */
public interface ConsoleOutput {
    /** Bytes the guest wrote. Must not block for long. */
    void received(byte[] bytes);

    /** The session is over (the guest stopped, or another session took the console). Called once. */
    void ended();
}
