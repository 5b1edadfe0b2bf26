package io.dpuvirt.systest;

import io.dpuvirt.testbed.Side;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.dpuvirt.systest.ProxyPair.await;

/** Real rexec_server processes on the sides of a test bed, with their whitelists and logs. */
final class RexecServers implements AutoCloseable {
    static final String SOCKET = "/var/run/rexec/rexec_uds.sock";
    static final String WHITELIST = "/etc/rexec/whitelist";

    private final Path logs;
    private final Map<Side.Role, Process> servers = new EnumMap<>(Side.Role.class);
    private final List<Process> all = new ArrayList<>();
    private int starts;
    private Path lastLog;

    RexecServers(Path logs) {
        this.logs = logs;
    }

    /** Writes {@code /etc/rexec/whitelist} on {@code side}, owned by root and mode 0600. */
    static void whitelist(Side side, String... programs) throws IOException {
        side.shell("mkdir -p /etc/rexec && printf '%s\\n' " + String.join(" ", programs) + " > " + WHITELIST + " && chmod 600 " + WHITELIST);
    }

    /**
     * Starts rexec_server on {@code side} with a one-second kill grace (plus {@code options}) and waits until it
     * listens (its log says so: a killed predecessor's socket file may still be there).
     */
    Process start(Side side, String... options) throws Exception {
        Process server = launch(side, options);
        Path log = lastLog;
        await("rexec_server listening on " + side, () -> !server.isAlive() || Files.readString(log).contains(" INFO listening on "));
        if (!server.isAlive()) {
            throw new AssertionError("rexec_server did not start on " + side + ": " + Files.readString(log));
        }
        return server;
    }

    /** Starts rexec_server and does not wait: for servers that are expected to refuse to start. */
    Process launch(Side side, String... options) throws IOException {
        List<String> command = new ArrayList<>(List.of(Project.bin("rexec_server"), "--kill-grace", "1"));
        command.addAll(List.of(options));
        Path log = logs.resolve(side.role().name().toLowerCase() + "-rexec_server-" + ++starts + ".log");
        lastLog = log;
        Process server = side.processBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        servers.put(side.role(), server);
        all.add(server);
        return server;
    }

    Process server(Side side) {
        return servers.get(side.role());
    }

    /** SIGTERM, as a service manager stops it; returns its exit status. */
    int stop(Side side) throws Exception {
        Process server = servers.get(side.role());
        server.destroy();
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("rexec_server on " + side + " did not stop on SIGTERM");
        }
        return server.exitValue();
    }

    void kill9(Side side) throws Exception {
        Process server = servers.get(side.role());
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
    }

    /** Everything {@code side}'s servers logged so far. */
    String log(Side side) throws IOException {
        StringBuilder text = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path file : files.filter(f -> f.getFileName().toString().startsWith(side.role().name().toLowerCase() + "-rexec_server")).sorted().toList()) {
                text.append(Files.readString(file));
            }
        }
        return text.toString();
    }

    @Override
    public void close() {
        all.forEach(Process::destroyForcibly);
    }
}
