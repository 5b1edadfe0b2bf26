package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Arrays;

/**
 * Mutual challenge-response over a fresh link connection, before anything else is said:
 * <pre>
 * acceptor → dialer : MAGIC, mode, nonceA
 * dialer → acceptor : MAGIC, mode, nonceD, kind, HMAC(key, "dialer", nonceA, nonceD, kind)
 * acceptor → dialer : HMAC(key, "acceptor", nonceA, nonceD, kind)
 * </pre>
 * The acceptor speaks first but says nothing but a random nonce; it answers only a dialer that proved the key,
 * and closes silently otherwise, so a peer without the key learns nothing and gets nothing. Fresh nonces on both
 * sides defeat replay; the role labels defeat reflection. Without a key ({@code mode} 0, insecure test mode) both
 * ends must agree to run unauthenticated: a keyed end never talks to a keyless one.
 */
public final class Handshake {
    private static final byte[] MAGIC = "DPUVLNK1".getBytes(StandardCharsets.US_ASCII);
    private static final int NONCE = 32, MAC = 32;
    private static final int ACCEPTOR_HELLO = MAGIC.length + 1 + NONCE;
    private static final int DIALER_HELLO = MAGIC.length + 1 + NONCE + 1 + MAC;
    private static final byte[] DIALER = "dialer".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ACCEPTOR = "acceptor".getBytes(StandardCharsets.US_ASCII);
    public static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LinkKey key;

    /** {@code key} null means the insecure, unauthenticated mode. */
    public Handshake(LinkKey key) {
        this.key = key;
    }

    public boolean authenticated() {
        return key != null;
    }

    /** Run by the side that accepted the connection; returns what the dialer wants the connection for. */
    public ChannelKind accept(NativeSocket socket) throws IOException {
        socket.setReceiveTimeout(TIMEOUT);
        byte[] nonceA = nonce();
        send(socket, concat(MAGIC, new byte[] {mode()}, nonceA));
        byte[] hello;
        try {
            hello = receive(socket, DIALER_HELLO);
        } catch (EOFException e) {
            throw new AuthenticationException("peer closed the connection during authentication (it refused this side's mode)");
        }
        requireMagic(hello);
        byte dialerMode = hello[MAGIC.length];
        if (dialerMode != mode()) {
            throw new AuthenticationException(dialerMode == 0
                    ? "peer connects without a key, refused (this side requires one)"
                    : "peer connects with a key, but this side runs without one (--insecure-no-auth): refused");
        }
        byte[] nonceD = Arrays.copyOfRange(hello, MAGIC.length + 1, MAGIC.length + 1 + NONCE);
        byte kindCode = hello[MAGIC.length + 1 + NONCE];
        byte[] dialerMac = Arrays.copyOfRange(hello, DIALER_HELLO - MAC, DIALER_HELLO);
        if (key != null && !MessageDigest.isEqual(dialerMac, key.mac(DIALER, nonceA, nonceD, new byte[] {kindCode}))) {
            throw new AuthenticationException("peer failed the key challenge (different key file?)");
        }
        ChannelKind kind = ChannelKind.ofCode(kindCode);
        if (kind == null) {
            throw new AuthenticationException("peer asked for unknown channel kind " + kindCode);
        }
        send(socket, key == null ? new byte[MAC] : key.mac(ACCEPTOR, nonceA, nonceD, new byte[] {kindCode}));
        socket.setReceiveTimeout(Duration.ZERO);
        return kind;
    }

    /** Run by the side that dialed; proves the key, checks the acceptor's proof. */
    public void dial(NativeSocket socket, ChannelKind kind) throws IOException {
        socket.setReceiveTimeout(TIMEOUT);
        byte[] hello = receive(socket, ACCEPTOR_HELLO);
        requireMagic(hello);
        byte acceptorMode = hello[MAGIC.length];
        if (acceptorMode != mode()) {
            throw new AuthenticationException(acceptorMode == 0
                    ? "peer runs without authentication (--insecure-no-auth) but this side has a key: refused"
                    : "peer requires a key but this side runs without one (--insecure-no-auth)");
        }
        byte[] nonceA = Arrays.copyOfRange(hello, MAGIC.length + 1, ACCEPTOR_HELLO);
        byte[] nonceD = nonce();
        byte[] kindCode = {(byte) kind.code()};
        byte[] mac = key == null ? new byte[MAC] : key.mac(DIALER, nonceA, nonceD, kindCode);
        send(socket, concat(MAGIC, new byte[] {mode()}, nonceD, kindCode, mac));
        byte[] answer;
        try {
            answer = receive(socket, MAC);
        } catch (EOFException e) {
            throw new AuthenticationException("peer closed the connection during authentication (different key file?)");
        }
        if (key != null && !MessageDigest.isEqual(answer, key.mac(ACCEPTOR, nonceA, nonceD, kindCode))) {
            throw new AuthenticationException("peer failed the key challenge (different key file?)");
        }
        socket.setReceiveTimeout(Duration.ZERO);
    }

    private byte mode() {
        return (byte) (key == null ? 0 : 1);
    }

    private static void requireMagic(byte[] message) throws AuthenticationException {
        if (!Arrays.equals(message, 0, MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new AuthenticationException("peer does not speak the dpuvirt link protocol");
        }
    }

    private static byte[] nonce() {
        byte[] nonce = new byte[NONCE];
        RANDOM.nextBytes(nonce);
        return nonce;
    }

    private static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        byte[] all = new byte[length];
        int offset = 0;
        for (byte[] part : parts) {
            System.arraycopy(part, 0, all, offset, part.length);
            offset += part.length;
        }
        return all;
    }

    private static void send(NativeSocket socket, byte[] bytes) throws LinuxException {
        socket.write(bytes);
    }

    private static byte[] receive(NativeSocket socket, int length) throws IOException {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment buffer = arena.allocate(length);
            try {
                socket.readFully(buffer, length);
            } catch (LinuxException e) {
                if (e.is(io.dpuvirt.common.linux.Errno.EAGAIN)) {
                    throw new AuthenticationException("peer did not complete authentication within " + TIMEOUT.toSeconds() + " s");
                }
                throw e;
            }
            return buffer.toArray(ValueLayout.JAVA_BYTE);
        }
    }
}
