package io.dpuvirt.virt.qmp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ByteChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One connection to a QMP monitor. {@link #handshake} reads the greeting and leaves negotiation mode
 * ({@code qmp_capabilities}); then {@link #execute} sends a command with an id and waits for the answer
 * carrying it, at most its timeout. A reader thread takes every message off the socket: answers go to
 * the waiting command (by id; in order for a monitor that answers without one), events to the
 * {@link QmpListener}. When the connection ends, commands still waiting fail at once.
 * <p>
 * Commands may be sent from several threads; answers never wait for events to be handled elsewhere.
 */
public final class QmpClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private record Pending(String command, CompletableFuture<JsonNode> answer) {
    }

    private final ByteChannel channel;
    private final String monitor;
    private final QmpListener listener;
    private final CompletableFuture<JsonNode> greeting = new CompletableFuture<>();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final AtomicLong ids = new AtomicLong();
    /** Commands sent and not answered yet, oldest first. Guarded by itself. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();
    private volatile String endedBecause;
    private boolean handedOver; // guarded by pending

    private QmpClient(ByteChannel channel, String monitor, QmpListener listener) {
        this.channel = channel;
        this.monitor = monitor;
        this.listener = listener;
    }

    /**
     * Takes over {@code channel} (connected to the monitor named {@code monitor} in messages) and completes
     * the handshake within {@code timeout}; the channel is closed if it fails.
     */
    public static QmpClient handshake(ByteChannel channel, String monitor, QmpListener listener, Duration timeout)
            throws QmpException {
        QmpClient client = new QmpClient(channel, monitor, listener);
        // a platform thread: the channel may be one whose reads are native calls (Host#connect)
        Thread.ofPlatform().daemon().name("qmp " + monitor).start(client::readUntilEnd);
        try {
            client.await("the greeting", client.greeting, timeout);
            client.execute("qmp_capabilities", timeout);
            client.handOver();
            return client;
        } catch (QmpException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Initializes the JSON mapping QMP uses (Jackson's ObjectMapper and the paths a command and an answer take),
     * which a first guest start would otherwise pay for: about 20 ms of its CPU in a fresh daemon (JFR).
     */
    public static void warmUp() {
        try {
            JsonNode answer = JSON.readTree("{\"return\": {\"status\": \"running\", \"running\": true}, \"id\": \"1\"}");
            JSON.writeValueAsString(JSON.createObjectNode().put("execute", "query-status").put("id", answer.path("id").asText()));
        } catch (IOException e) {
            Log.warn("warming up QMP's JSON mapping failed: " + e.getMessage()); // the first start pays for it
        }
    }

    /** The greeting the monitor sent: {@code {"QMP": {"version": …, "capabilities": […]}}}. */
    public JsonNode greeting() {
        return greeting.getNow(null);
    }

    public JsonNode execute(String command, Duration timeout) throws QmpException {
        return execute(command, JSON.createObjectNode(), timeout);
    }

    /** Sends {@code command} with {@code arguments}; returns its {@code return} value. */
    public JsonNode execute(String command, ObjectNode arguments, Duration timeout) throws QmpException {
        String id = "dpuvirt-" + ids.incrementAndGet();
        ObjectNode message = JSON.createObjectNode().put("execute", command);
        if (!arguments.isEmpty()) {
            message.set("arguments", arguments);
        }
        message.put("id", id);
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        synchronized (pending) {
            if (endedBecause != null) {
                throw new QmpException("monitor " + monitor + " is closed (" + endedBecause + "): cannot send "
                        + command);
            }
            pending.put(id, new Pending(command, answer));
        }
        try {
            send(message);
            return await(command, answer, timeout);
        } finally {
            synchronized (pending) {
                pending.remove(id);
            }
        }
    }

    /** Whether the connection still stands. */
    public boolean isOpen() {
        return endedBecause == null;
    }

    /** Ends the connection; the reader tells the listener. */
    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            Log.debug("monitor " + monitor + ": closing: " + e.getMessage());
        }
    }

    private void send(ObjectNode message) throws QmpException {
        byte[] bytes;
        try {
            bytes = (JSON.writeValueAsString(message) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write a QMP message as JSON", e);
        }
        writeLock.lock();
        try {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        } catch (IOException e) {
            throw new QmpException("monitor " + monitor + ": cannot send " + message.path("execute").asText()
                    + ": " + e.getMessage(), e);
        } finally {
            writeLock.unlock();
        }
    }

    private JsonNode await(String what, CompletableFuture<JsonNode> answer, Duration timeout) throws QmpException {
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new QmpException("monitor " + monitor + ": no answer to " + what + " within " + timeout.toMillis()
                    + " ms");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof QmpCommandError error) {
                throw new QmpCommandError(what, error.errorClass(), error.description());
            }
            throw new QmpException("monitor " + monitor + ": " + what + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QmpException("monitor " + monitor + ": interrupted while waiting for " + what, e);
        }
    }

    // ---- the reader thread

    private void readUntilEnd() {
        String why;
        try {
            LineReader lines = new LineReader(channel);
            Optional<String> line;
            while ((line = lines.next()).isPresent()) {
                if (!line.get().isBlank()) {
                    dispatch(line.get());
                }
            }
            why = "the monitor closed the connection";
        } catch (ClosedChannelException e) { // also AsynchronousCloseException: close() from another thread
            why = "closed by this side";
        } catch (IOException e) {
            why = "read failed: " + e.getMessage();
        }
        end(why);
    }

    private void dispatch(String line) throws IOException {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException e) {
            throw new QmpException("monitor " + monitor + " sent something that is not JSON: " + abbreviate(line), e);
        }
        if (message.has("QMP")) {
            greeting.complete(message);
        } else if (message.has("event")) {
            JsonNode data = message.path("data");
            listener.event(new QmpEvent(message.path("event").asText(), data.isObject() ? data : JSON.createObjectNode()));
        } else if (message.has("return") || message.has("error")) {
            answer(message);
        } else {
            Log.warn("monitor " + monitor + ": ignoring a message that is neither an answer nor an event: "
                    + abbreviate(line));
        }
    }

    private void answer(JsonNode message) {
        Pending waiting;
        synchronized (pending) {
            JsonNode id = message.get("id");
            // a monitor answers in order; one that could not read a command answers without its id
            waiting = id != null && id.isTextual() ? pending.remove(id.asText()) : removeOldest();
        }
        if (waiting == null) {
            Log.debug("monitor " + monitor + ": an answer nobody waits for any more: " + message);
            return;
        }
        if (message.has("error")) {
            JsonNode error = message.get("error");
            waiting.answer().completeExceptionally(new QmpCommandError(waiting.command(),
                    error.path("class").asText("GenericError"), error.path("desc").asText("")));
        } else {
            waiting.answer().complete(message.get("return"));
        }
    }

    private Pending removeOldest() {
        Iterator<Pending> oldest = pending.values().iterator();
        if (!oldest.hasNext()) {
            return null;
        }
        Pending first = oldest.next();
        oldest.remove();
        return first;
    }

    /**
     * From here on the listener hears of the connection's end. A connection whose handshake failed tells only the
     * caller of {@link #handshake}: a reconnecting guest took such a candidate's end (a mirror whose link is down
     * accepts and closes at once) for its monitor's and started a second reconnection, which then waited on the
     * monitor qemu already served to the first and, timing out, marked it lost again.
     */
    private void handOver() throws QmpException {
        synchronized (pending) {
            if (endedBecause != null) {
                throw new QmpException("the monitor connection ended right after its handshake (" + endedBecause + ")");
            }
            handedOver = true;
        }
    }

    private void end(String why) {
        close();
        boolean tell;
        synchronized (pending) {
            endedBecause = why;
            tell = handedOver;
            for (Pending waiting : pending.values()) {
                waiting.answer().completeExceptionally(new QmpException("the monitor connection ended (" + why + ")"));
            }
            pending.clear();
        }
        greeting.completeExceptionally(new QmpException("the monitor connection ended before its greeting (" + why + ")"));
        if (tell) {
            listener.disconnected(why);
        }
    }

    private static String abbreviate(String line) {
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }
}
