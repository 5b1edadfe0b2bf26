package io.dpuvirt.cli.virsh;

import io.dpuvirt.cli.RawTerminal;
import java.io.InputStream;
import java.util.function.BooleanSupplier;

/**
 * Where virsh's shell reads its commands, and whether a user types them there: then virsh greets and
 * prompts. Whether it is a terminal is asked only when the shell starts.
 */
public record CommandInput(InputStream stream, BooleanSupplier terminal) {
    /** virsh's stdin. */
    public static CommandInput stdin() {
        return new CommandInput(System.in, RawTerminal::interactive);
    }
}
