package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A QMP monitor for tests: listens at a path, greets one client, then answers each command it reads with
 * the lines {@code script} returns for it (answers, events, or nothing). Ends its line with {@code eol}.
 */
final class FakeMonitor implements AutoCloseable {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String GREETING = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}},"
            + " \"capabilities\": [\"oob\"]}}";

    private final ServerSocketChannel server;
    private final Function<JsonNode, List<String>> script;
    private final String eol;
    final List<JsonNode> received = new CopyOnWriteArrayList<>();
    private volatile SocketChannel client;

    private FakeMonitor(ServerSocketChannel server, Function<JsonNode, List<String>> script, String eol) {
        this.server = server;
        this.script = script;
        this.eol = eol;
    }

    static FakeMonitor start(Path socket, String eol, Function<JsonNode, List<String>> script) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        FakeMonitor monitor = new FakeMonitor(server, script, eol);
        Thread.ofVirtual().start(monitor::serve);
        return monitor;
    }

    /** Answers {@code qmp_capabilities} and {@code query-status}, with the command's id. */
    static List<String> standard(JsonNode command) {
        String id = command.path("id").toString();
        return switch (command.path("execute").asText()) {
            case "qmp_capabilities", "stop", "cont" -> List.of("{\"return\": {}, \"id\": " + id + "}");
            case "query-status" -> List.of("{\"return\": {\"status\": \"running\", \"singlestep\": false, "
                    + "\"running\": true}, \"id\": " + id + "}");
            default -> List.of("{\"id\": " + id + ", \"error\": {\"class\": \"CommandNotFound\", \"desc\": "
                    + "\"The command " + command.path("execute").asText() + " has not been found\"}}");
        };
    }

    void send(String line) throws IOException {
        client.write(ByteBuffer.wrap((line + eol).getBytes(StandardCharsets.UTF_8)));
    }

    /** Drops the client, as a hypervisor that exits does. */
    void hangUp() throws IOException {
        client.close();
    }

    private void serve() {
        try (SocketChannel accepted = server.accept()) {
            client = accepted;
            send(GREETING);
            LineReader lines = new LineReader(accepted);
            Optional<String> line;
            while ((line = lines.next()).isPresent()) {
                JsonNode command = JSON.readTree(line.get());
                received.add(command);
                for (String answer : script.apply(command)) {
                    send(answer);
                }
            }
        } catch (IOException e) {
            // the test ended the connection
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (client != null) {
            client.close();
        }
    }
}
