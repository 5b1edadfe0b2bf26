package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;

import java.util.List;

/**
 * A virsh command: its name, its options, and what it does. A daemon error that escapes is printed as
 * virsh prints its last error; commands that must say what failed first catch it.
 */
record Command(String name, List<OptionSpec> options, Body body) {
    @FunctionalInterface
    interface Body {
        void run(Session session, Options options) throws VirshException, RemoteCallException;
    }

    Command {
        options = List.copyOf(options);
    }

    static Command of(String name, Body body, OptionSpec... options) {
        return new Command(name, List.of(options), body);
    }
}
