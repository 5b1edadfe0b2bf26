package io.dpuvirt.fabric.link;

import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The link handshake over real socket pairs: what each side learns when keys or modes differ. */
class HandshakeTest {
    private static final LinkKey KEY = LinkKey.of("0123456789abcdef0123456789abcdef".getBytes());
    private static final LinkKey OTHER = LinkKey.of("fedcba9876543210fedcba9876543210".getBytes());

    @TempDir
    Path dir;

    /** Runs the acceptor's side on another thread, the dialer's here; returns the acceptor's outcome. */
    private CompletableFuture<Object> handshake(LinkKey acceptorKey, LinkKey dialerKey, ChannelKind kind, Object[] dialerOutcome)
            throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(Files.createTempFile(dir, "link", ".sock").toString());
        Files.delete(Path.of(address.path()));
        NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 4);
        CompletableFuture<Object> acceptor = CompletableFuture.supplyAsync(() -> {
            try (NativeSocket socket = listener.accept()) {
                return new Handshake(acceptorKey).accept(socket);
            } catch (Exception e) {
                return e;
            } finally {
                listener.close();
            }
        });
        try (NativeSocket socket = NativeSocket.connect(address, SocketType.STREAM)) {
            new Handshake(dialerKey).dial(socket, kind);
            dialerOutcome[0] = "ok";
        } catch (Exception e) {
            dialerOutcome[0] = e;
        }
        return acceptor;
    }

    @Test
    void sameKeyAuthenticatesBothWaysAndCarriesTheChannelKind() throws Exception {
        Object[] dialer = new Object[1];
        assertThat(handshake(KEY, KEY, ChannelKind.STREAM, dialer).get(5, TimeUnit.SECONDS)).isEqualTo(ChannelKind.STREAM);
        assertThat(dialer[0]).isEqualTo("ok");
    }

    @Test
    void aDifferentKeyIsRefusedOnBothSides() throws Exception {
        Object[] dialer = new Object[1];
        Object acceptor = handshake(KEY, OTHER, ChannelKind.CONTROL, dialer).get(5, TimeUnit.SECONDS);
        assertThat(acceptor).isInstanceOf(AuthenticationException.class)
                .hasToString(AuthenticationException.class.getName() + ": peer failed the key challenge (different key file?)");
        assertThat(dialer[0]).isInstanceOf(AuthenticationException.class);
        assertThat(((Exception) dialer[0]).getMessage()).isEqualTo("peer closed the connection during authentication (different key file?)");
    }

    @Test
    void keyedAndKeylessSidesNeverTalk() throws Exception {
        Object[] dialer = new Object[1];
        Object acceptor = handshake(KEY, null, ChannelKind.CONTROL, dialer).get(5, TimeUnit.SECONDS);
        assertThat(((Exception) dialer[0]).getMessage()).isEqualTo("peer requires a key but this side runs without one (--insecure-no-auth)");
        assertThat(((Exception) acceptor).getMessage()).isEqualTo("peer closed the connection during authentication (it refused this side's mode)");

        acceptor = handshake(null, KEY, ChannelKind.CONTROL, dialer).get(5, TimeUnit.SECONDS);
        assertThat(((Exception) dialer[0]).getMessage())
                .isEqualTo("peer runs without authentication (--insecure-no-auth) but this side has a key: refused");
        assertThat(acceptor).isInstanceOf(Exception.class);
    }

    @Test
    void theAcceptorSaysNothingButANonceAndGivesUpOnASilentPeer() throws Exception {
        SockAddr.Unix address = new SockAddr.Unix(dir.resolve("silent.sock").toString());
        try (NativeSocket listener = NativeSocket.listen(address, SocketType.STREAM, 4);
             NativeSocket silent = NativeSocket.connect(address, SocketType.STREAM);
             NativeSocket accepted = listener.accept();
             Arena arena = Arena.ofConfined()) {
            CompletableFuture<Exception> acceptor = CompletableFuture.supplyAsync(() -> {
                try {
                    new Handshake(KEY).accept(accepted);
                    return null;
                } catch (Exception e) {
                    return e;
                }
            });
            MemorySegment hello = arena.allocate(41);
            silent.readFully(hello, 41);
            assertThat(new String(hello.asSlice(0, 8).toArray(ValueLayout.JAVA_BYTE))).isEqualTo("DPUVLNK1");
            assertThat(acceptor.get(Handshake.TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS))
                    .hasMessage("peer did not complete authentication within 5 s");
        }
    }

    @Test
    void keyFilesMustBePrivateAndLongEnough() throws Exception {
        Path key = dir.resolve("key");
        Files.write(key, new byte[32]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertThatThrownBy(() -> LinkKey.load(key)).hasMessage("key file " + key
                + " is accessible by group or others (mode rw-r-----): chmod 600 " + key);
        Files.write(key, new byte[8]);
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
        assertThatThrownBy(() -> LinkKey.load(key)).hasMessageStartingWith("key file " + key + " has 8 bytes; a key has 16 to 4096");
    }
}
