package io.dpuvirt.daemon;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.rpc.server.ServerStream;
import io.dpuvirt.rpc.server.StreamEnd;
import io.dpuvirt.rpc.server.StreamListener;
import io.dpuvirt.virt.driver.ConsoleOutput;
import io.dpuvirt.virt.driver.ConsoleSession;

import java.io.IOException;

/**
 * Joins a client's console stream and a guest's console session: the guest's bytes go out as stream
 * data and its end as the stream's end of file; the client's bytes go to the guest, and when the client
 * ends the stream (or disconnects) the session is closed.
 */
final class ConsoleBridge implements StreamListener, ConsoleOutput {
    private final String domain;
    private volatile ServerStream stream;
    private ConsoleSession session;
    private boolean clientGone;

    ConsoleBridge(String domain) {
        this.domain = domain;
    }

    /** First: the client's stream, which the guest's greeting may already go to. */
    void bindStream(ServerStream clientStream) {
        this.stream = clientStream;
    }

    /** Then the guest's session, before the call's reply goes out (so before the client can type). */
    void bindSession(ConsoleSession guestSession) {
        boolean gone;
        synchronized (this) {
            session = guestSession;
            gone = clientGone;
        }
        if (gone) {
            guestSession.close(); // the client disconnected while the console was being opened
        }
    }

    private synchronized ConsoleSession session() {
        return session;
    }

    // ---- from the client

    @Override
    public void data(byte[] bytes) {
        ConsoleSession current = session();
        try {
            current.send(bytes);
        } catch (IOException e) {
            Log.warn("console of domain '" + domain + "': cannot pass input to the guest: " + e.getMessage());
            current.close();
        }
    }

    @Override
    public void closed(StreamEnd end) {
        ConsoleSession current;
        synchronized (this) {
            clientGone = true;
            current = session;
        }
        if (current != null) {
            current.close();
        }
    }

    // ---- from the guest

    @Override
    public void received(byte[] bytes) {
        try {
            stream.send(bytes);
        } catch (IOException e) {
            // the client went away: its stream's end closes the session
            Log.debug("console of domain '" + domain + "': client gone: " + e.getMessage());
        }
    }

    /**
     * The stream's end goes out on a thread of its own: it queues behind the guest's last bytes, which wait for the
     * client to read, and the caller may hold the domain's lock (a destroy, a shutdown, {@code console --force}): a
     * client that stopped reading (virsh stopped with Ctrl-Z) held every operation on the domain.
     */
    @Override
    public void ended() {
        Thread.ofVirtual().name("console end " + domain).start(() -> {
            try {
                stream.finish();
            } catch (IOException e) {
                Log.debug("console of domain '" + domain + "': stream already ended: " + e.getMessage());
            }
        });
    }
}
