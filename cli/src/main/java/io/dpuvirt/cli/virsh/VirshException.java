package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;

import java.util.ArrayList;
import java.util.List;

/** A command failed: the lines virsh prints, each after "error: ". */
public final class VirshException extends Exception {
    private final List<String> lines;

    public VirshException(String... lines) {
        super(String.join("\n", lines));
        this.lines = List.of(lines);
    }

    /** What the command failed to do, then what the daemon said. */
    public static VirshException of(String what, RemoteCallException cause) {
        List<String> lines = new ArrayList<>();
        lines.add(what);
        lines.add(cause.error().message().orElse("unknown error"));
        return new VirshException(lines.toArray(String[]::new));
    }

    public List<String> lines() {
        return lines;
    }
}
