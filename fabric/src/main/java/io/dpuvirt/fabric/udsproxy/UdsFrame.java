package io.dpuvirt.fabric.udsproxy;

/** udsproxy's frame types: control channel (announcements, liveness) and stream channel (one proxied connection). */
final class UdsFrame {
    static final int HELLO = 1, EXPORTS = 2, PING = 3, PONG = 4;
    /**
     * A stream starts with OPEN and the dialer relays at once, without waiting for an answer (a round trip saved
     * per connection). OPEN_ERROR is the serving side's END when it cannot connect; it then drains to the dialer's END.
     * An OPEN with the flag {@link #CONFIRM} is answered with OPENED once connected: a dialer that is the client
     * itself ({@link PeerSockets}) must fail its connect() as a local one would. With {@link #AWAIT} as well, a socket
     * that is not there yet is waited for, up to the time the request names ({@link OpenRequest#await()}).
     */
    static final int OPEN = 16, OPENED = 17, OPEN_ERROR = 18, DATA = 19, FDS = 20, SHUT_WR = 21, CLOSE = 22;
    /** OPEN's flags: answer with OPENED once connected; wait for a socket that is not there yet. */
    static final int CONFIRM = 1, AWAIT = 2;

    private UdsFrame() {
    }
}
