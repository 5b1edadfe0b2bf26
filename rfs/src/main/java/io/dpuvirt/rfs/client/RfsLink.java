package io.dpuvirt.rfs.client;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.Backoff;
import io.dpuvirt.fabric.link.ChannelKind;
import io.dpuvirt.fabric.link.Frame;
import io.dpuvirt.fabric.link.LinkConnection;
import io.dpuvirt.fabric.link.LinkEndpoint;
import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.MessageType;
import io.dpuvirt.rfs.wire.WireException;
import io.dpuvirt.rfs.wire.WireReader;
import io.dpuvirt.rfs.wire.WireWriter;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The DPU side of one mount's connection to the HOST's rfs server: requests go out tagged with an id and their
 * {@link ReplyHandler} waits in a table until the reply with that id comes back, so any number are in flight.
 * A dead link (no frame for {@link LinkSettings#deadAfter}) fails what is in flight with EIO and is re-dialed in
 * the background; every new connection has a new generation, which tells open-file handles to re-open.
 */
final class RfsLink implements AutoCloseable {
    /** A request waiting for its reply, and the connection it was sent on. */
    private record Pending(ReplyHandler handler, long generation) {
    }

    /** The connection in use and its generation, swapped together. */
    private record Live(LinkConnection connection, long generation) {
    }

    private final LinkEndpoint endpoint;
    private final String exportPath;
    private final LinkSettings settings;
    private final Map<Long, Pending> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Live live;
    private volatile long generation;
    private volatile long lastHeard;
    private volatile boolean closed;
    private Attr rootAttr;

    RfsLink(LinkEndpoint endpoint, String exportPath, LinkSettings settings) {
        this.endpoint = endpoint;
        this.exportPath = exportPath;
        this.settings = settings;
    }

    /** Connects once, failing with the server's reason (mount refuses to proceed without a first connection). */
    void connectFirst() throws IOException {
        connect();
        Thread.ofPlatform().daemon().name("rfs-link-keeper").start(this::keepAlive);
    }

    /** The export root's attributes as of the last connection. */
    synchronized Attr rootAttr() {
        return rootAttr;
    }

    long generation() {
        return generation;
    }

    private void connect() throws IOException {
        LinkConnection fresh = endpoint.dial(ChannelKind.RFS);
        try {
            WireWriter hello = new WireWriter(256);
            hello.u32(MessageType.PROTOCOL_VERSION).string(exportPath);
            fresh.sendInPlace(MessageType.HELLO, 0, hello.frame(), hello.length());
            fresh.socket().setReceiveTimeout(Duration.ofSeconds(5));
            Frame answer = fresh.receive();
            fresh.socket().setReceiveTimeout(Duration.ZERO);
            WireReader in = new WireReader(answer.payload());
            if (answer.type() == MessageType.REFUSED) {
                in.u32(); // the errno: the reason says more
                throw new RefusedException("the HOST refused to export " + exportPath + ": " + in.string());
            }
            if (answer.type() != MessageType.WELCOME) {
                throw new WireException("expected WELCOME, got frame type " + answer.type());
            }
            in.u64();
            Attr root = Attr.read(in);
            synchronized (this) {
                rootAttr = root;
            }
        } catch (IOException | RuntimeException e) {
            fresh.close();
            throw e;
        }
        long reading;
        lock.lock();
        try {
            reading = ++generation;
            lastHeard = System.nanoTime();
            live = new Live(fresh, reading);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        Thread.ofPlatform().daemon().name("rfs-link-reader").start(() -> readReplies(fresh, reading));
    }

    private void readReplies(LinkConnection from, long ofGeneration) {
        try {
            while (true) {
                Frame frame = from.receive();
                lastHeard = System.nanoTime();
                if (frame.type() == MessageType.REPLY) {
                    WireReader in = new WireReader(frame.payload());
                    long id = in.u64();
                    int errno = in.u32();
                    Pending waiting = pending.remove(id);
                    if (waiting != null) {
                        complete(waiting.handler, errno, errno == 0 ? in : null);
                    }
                } else if (frame.type() != MessageType.PONG) {
                    throw new WireException("unexpected frame type " + frame.type());
                }
            }
        } catch (IOException e) {
            if (!closed) {
                Log.warn("rfs: link to the HOST lost: " + e.getMessage());
            }
        } finally {
            dropConnection(from, ofGeneration);
        }
    }

    private static void complete(ReplyHandler handler, int errno, WireReader result) {
        try {
            handler.complete(errno, result);
        } catch (Exception | Error e) {
            Log.error("rfs: handling a reply failed: " + e);
        }
    }

    /** Forgets a broken connection: what was sent on it fails with EIO. */
    private void dropConnection(LinkConnection broken, long ofGeneration) {
        lock.lock();
        try {
            if (live != null && live.connection() == broken) {
                live = null;
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
        broken.abort();
        for (Map.Entry<Long, Pending> entry : pending.entrySet()) {
            if (entry.getValue().generation == ofGeneration && pending.remove(entry.getKey(), entry.getValue())) {
                complete(entry.getValue().handler, Errno.EIO, null);
            }
        }
        broken.close();
    }

    /** Pings, notices silence, and re-dials a lost connection with backoff. */
    private void keepAlive() {
        Backoff backoff = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(2));
        boolean reported = false;
        while (!closed) {
            Live now = live;
            if (now != null) {
                LinkConnection current = now.connection();
                backoff.reset();
                reported = false;
                if (System.nanoTime() - lastHeard > settings.deadAfter().toNanos()) {
                    Log.warn("rfs: no answer from the HOST for " + settings.deadAfter().toMillis() + " ms: dropping the connection");
                    current.abort();
                } else {
                    try {
                        // not behind a writer the HOST does not read from: the silence above must stay noticed
                        current.sendUnlessItWaits(MessageType.PING);
                    } catch (IOException e) {
                        current.abort();
                    }
                }
                sleep(settings.pingInterval());
                continue;
            }
            try {
                connect();
                Log.info("rfs: link to the HOST is back (generation " + generation + ")");
            } catch (IOException e) {
                if (!reported) {
                    Log.warn("rfs: cannot reach the HOST yet, retrying: " + e.getMessage());
                    reported = true;
                }
                sleep(backoff.next());
            }
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A fresh request id: the first field of every request. */
    long newId() {
        return nextId.getAndIncrement();
    }

    /** Sends, waiting up to {@link LinkSettings#reconnectWait} for a lost link to come back; EIO after that. */
    void call(WireWriter request, ReplyHandler handler) {
        send(awaitConnection(), request, null, handler);
    }

    /** The same for a request whose last field is {@code tail} (null: none), sent from where it is (a write's data). */
    void call(WireWriter request, MemorySegment tail, ReplyHandler handler) {
        send(awaitConnection(), request, tail, handler);
    }

    /** Sends without waiting: EIO at once when the link is down (for follow-ups on the reader thread). */
    void callNow(WireWriter request, ReplyHandler handler) {
        send(live, request, null, handler);
    }

    private void send(Live current, WireWriter request, MemorySegment tail, ReplyHandler handler) {
        long id = request.frame().get(java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED, Frame.HEADER);
        if (current == null) {
            complete(handler, Errno.EIO, null);
            return;
        }
        Pending entry = new Pending(handler, current.generation());
        pending.put(id, entry);
        try {
            if (tail == null) {
                current.connection().sendInPlace(MessageType.REQUEST, 0, request.frame(), request.length());
            } else {
                current.connection().sendInPlace(MessageType.REQUEST, 0, request.frame(), request.length(), tail);
            }
        } catch (IOException e) {
            current.connection().abort(); // its reader ends and fails everything sent on it
            if (pending.remove(id, entry)) {
                complete(handler, Errno.EIO, null);
            }
            return;
        }
        if (live != current && pending.remove(id, entry)) {
            complete(handler, Errno.EIO, null); // the connection was dropped while this was being sent
        }
    }

    private Live awaitConnection() {
        Live current = live;
        if (current != null || closed) {
            return current;
        }
        long deadline = System.nanoTime() + settings.reconnectWait().toNanos();
        lock.lock();
        try {
            while (live == null && !closed) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return null;
                }
                changed.await(left, TimeUnit.NANOSECONDS);
            }
            return live;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        closed = true;
        Live current = live;
        if (current != null) {
            current.connection().abort();
        }
    }
}
