package io.dpuvirt.daemon;

import io.dpuvirt.rpc.client.ClientStream;
import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.client.RpcClient;
import io.dpuvirt.rpc.remote.ConnectFeature;
import io.dpuvirt.rpc.remote.ConnectListAllDomainsArgs;
import io.dpuvirt.rpc.remote.DomainFlags;
import io.dpuvirt.rpc.remote.DomainGetInfoRet;
import io.dpuvirt.rpc.remote.DomainGetStateRet;
import io.dpuvirt.rpc.remote.DomainGetVcpusArgs;
import io.dpuvirt.rpc.remote.DomainOpenConsoleArgs;
import io.dpuvirt.rpc.remote.DomainValue;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.XmlFlags;
import io.dpuvirt.rpc.server.KeepalivePolicy;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.remote.ConnectOpenArgs;
import io.dpuvirt.rpc.remote.RemoteProgram;
import io.dpuvirt.rpc.wire.FrameWriter;
import io.dpuvirt.rpc.wire.MessageHeader;
import io.dpuvirt.rpc.wire.MessageStatus;
import io.dpuvirt.rpc.wire.RpcMessage;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** virtd in this JVM, spoken to over its socket with the project's RPC client. */
class VirtdProtocolTest {
    private static final String TEST_URI = "test:///default";
    private static final int RUNNING = 1;
    private static final int PAUSED = 3;
    private static final int SHUTOFF = 5;

    @TempDir
    Path dir;

    private Virtd virtd;
    private final List<RpcClient> clients = new ArrayList<>();

    @BeforeEach
    void startDaemon() throws Exception {
        virtd = Virtd.start(config());
    }

    @AfterEach
    void stopDaemon() throws Exception {
        for (RpcClient client : clients) {
            client.close();
        }
        virtd.close();
    }

    private VirtdConfig config() {
        return VirtdConfig.defaults().withSocket(dir.resolve("virtd-sock")).withRoot(dir.resolve("root"));
    }

    private RpcClient connect(String uri, int flags) throws Exception {
        RpcClient client = RpcClient.connect(virtd.socket());
        clients.add(client);
        client.open(Optional.of(uri), flags);
        return client;
    }

    private static String guest(String name) {
        return "<domain type='kvm'><name>" + name + "</name><memory unit='MiB'>256</memory>"
                + "<os><type>hvm</type></os></domain>";
    }

    private static NonnullDomain define(RpcClient client, String name) throws Exception {
        return client.call(RemoteCalls.DEFINE_XML, new StringValue(guest(name))).dom();
    }

    private static int state(RpcClient client, NonnullDomain domain) throws Exception {
        return client.call(RemoteCalls.GET_STATE, new DomainFlags(domain, 0)).state();
    }

    @Test
    void theSocketIsTheOwnersOnly() throws Exception {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(virtd.socket()))).isEqualTo("rw-------");
    }

    @Test
    void listsAndFindsLibvirtsTestDomain() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        List<NonnullDomain> all = client.call(RemoteCalls.LIST_ALL_DOMAINS, new ConnectListAllDomainsArgs(true, 3)).domains();
        assertThat(all).extracting(NonnullDomain::name, NonnullDomain::id).containsExactly(org.assertj.core.groups.Tuple.tuple("test", 1));
        NonnullDomain test = all.getFirst();
        assertThat(client.call(RemoteCalls.LOOKUP_BY_ID, new IntValue(1)).dom()).isEqualTo(test);
        assertThat(client.call(RemoteCalls.LOOKUP_BY_UUID, new io.dpuvirt.rpc.remote.DomainLookupByUuidArgs(test.uuid())).dom())
                .isEqualTo(test);
        assertThat(client.call(RemoteCalls.GET_INFO, new DomainValue(test)))
                .satisfies(info -> assertThat(info.maxMemKiB()).isEqualTo(8_388_608));
        assertThat(client.call(RemoteCalls.GET_URI, Empty.INSTANCE).value()).isEqualTo(TEST_URI);
        assertThat(client.call(RemoteCalls.GET_TYPE, Empty.INSTANCE).value()).isEqualTo("TEST");
        assertThat(client.call(RemoteCalls.NODE_INFO, Empty.INSTANCE).cpus()).isEqualTo(16);
    }

    @Test
    void aDomainsLifeOverTheWire() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain k1 = define(client, "k1");
        assertThat(k1.id()).isEqualTo(-1);
        client.call(RemoteCalls.CREATE, new DomainValue(k1));
        NonnullDomain running = client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("k1")).dom();
        assertThat(running.id()).isEqualTo(2);
        client.call(RemoteCalls.SUSPEND, new DomainValue(running));
        assertThat(client.call(RemoteCalls.GET_STATE, new DomainFlags(running, 0))).isEqualTo(new DomainGetStateRet(PAUSED, 1));
        client.call(RemoteCalls.RESUME, new DomainValue(running));
        assertThat(client.call(RemoteCalls.GET_STATE, new DomainFlags(running, 0))).isEqualTo(new DomainGetStateRet(RUNNING, 5));
        client.call(RemoteCalls.DESTROY_FLAGS, new DomainFlags(running, 1));
        assertThat(client.call(RemoteCalls.GET_STATE, new DomainFlags(running, 0))).isEqualTo(new DomainGetStateRet(SHUTOFF, 2));
        assertThat(client.call(RemoteCalls.CREATE_WITH_FLAGS, new DomainFlags(k1, 1)).dom().id()).isEqualTo(3);
        assertThat(state(client, k1)).isEqualTo(PAUSED);
        client.call(RemoteCalls.SET_AUTOSTART, new io.dpuvirt.rpc.remote.DomainSetAutostartArgs(k1, true));
        assertThat(client.call(RemoteCalls.GET_AUTOSTART, new DomainValue(k1)).isTrue()).isTrue();
        assertThat(client.call(RemoteCalls.GET_XML_DESC, new DomainFlags(k1, 0)).value()).contains("id='3'");
        assertThat(client.call(RemoteCalls.GET_XML_DESC, new DomainFlags(k1, 2)).value()).doesNotContain("id=");
        client.call(RemoteCalls.UNDEFINE_FLAGS, new DomainFlags(k1, 0));
        assertThat(client.call(RemoteCalls.IS_PERSISTENT, new DomainValue(k1)).isTrue()).isFalse();
        client.call(RemoteCalls.SHUTDOWN, new DomainValue(k1));
        assertThat(state(client, k1)).as("paused: the power button waits").isEqualTo(PAUSED);
        client.call(RemoteCalls.RESUME, new DomainValue(k1));
        assertFails(() -> client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("k1")), ErrorCode.NO_DOMAIN,
                "Domain not found: no domain with matching name 'k1'");
    }

    @Test
    void driverErrorsKeepTheirCodeOriginAndMessage() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain k1 = define(client, "k1");
        RemoteCallException e = org.junit.jupiter.api.Assertions.assertThrows(RemoteCallException.class,
                () -> client.call(RemoteCalls.SUSPEND, new DomainValue(k1)));
        assertThat(e.error().code()).isEqualTo(ErrorCode.OPERATION_INVALID.code());
        assertThat(e.error().domain()).isEqualTo(ErrorDomain.TEST.code());
        assertThat(e.error().message()).hasValue("Requested operation is not valid: domain is not running");
        assertFails(() -> client.call(RemoteCalls.DEFINE_XML, new StringValue("<domain type='kvm'><name>x</name>")),
                ErrorCode.XML_ERROR, "XML error: (domain_definition):1: malformed XML: "
                        + "XML document structures must start and end within the same entity.");
        assertFails(() -> client.call(RemoteCalls.DESTROY_FLAGS, new DomainFlags(k1, 6)), ErrorCode.INVALID_ARG,
                "unsupported flags (0x6) in function virDomainDestroyFlags");
        assertFails(() -> client.call(RemoteCalls.UNDEFINE_FLAGS, new DomainFlags(k1, 12)), ErrorCode.INVALID_ARG,
                "invalid argument: Flags 'VIR_DOMAIN_UNDEFINE_NVRAM' and 'VIR_DOMAIN_UNDEFINE_KEEP_NVRAM' are mutually exclusive");
        assertFails(() -> client.call(RemoteCalls.DEFINE_XML_FLAGS, new XmlFlags(guest("k1").replace("<os>", "<bogus/><os>"), 1)),
                ErrorCode.XML_INVALID_SCHEMA, "XML document failed to validate against schema: Unable to validate doc "
                        + "against /usr/share/libvirt/schemas/domain.rng\n(domain_definition):1:");
        assertFails(() -> client.call(RemoteCalls.GET_VCPUS, new DomainGetVcpusArgs(k1, 1, 1)), ErrorCode.NO_SUPPORT,
                "this function is not supported by the connection driver: DOMAIN_GET_VCPUS");
    }

    @Test
    void urisNoDriverServesAreRefusedCleanly() throws Exception {
        // the qemu and stratovirt drivers serve SCHEME:///system, no per-user session
        for (String uri : List.of("qemu:///session", "stratovirt:///session")) {
            RpcClient client = RpcClient.connect(virtd.socket());
            clients.add(client);
            String scheme = uri.substring(0, uri.indexOf(':'));
            assertFails(() -> client.open(Optional.of(uri), 0), ErrorCode.NO_CONNECT, "no connection driver available for "
                    + uri + " (this daemon's " + scheme + " driver serves " + scheme + ":///system only)");
            assertFails(() -> client.call(RemoteCalls.GET_HOSTNAME, Empty.INSTANCE), ErrorCode.INTERNAL_ERROR,
                    "internal error: connection not open");
        }
        RpcClient client = RpcClient.connect(virtd.socket());
        clients.add(client);
        assertFails(() -> client.open(Optional.of("xen:///system"), 0), ErrorCode.NO_CONNECT,
                "no connection driver available for xen:///system");
    }

    @Test
    void aReadOnlyConnectionLooksButDoesNotTouch() throws Exception {
        RpcClient client = connect(TEST_URI, 1);
        NonnullDomain test = client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("test")).dom();
        assertThat(state(client, test)).isEqualTo(RUNNING);
        assertFails(() -> client.call(RemoteCalls.DESTROY, new DomainValue(test)), ErrorCode.OPERATION_DENIED,
                "operation forbidden: read only access prevents virDomainDestroy");
    }

    @Test
    void theConsoleStreamGreetsEchoesAndEndsWithTheGuest() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain test = client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("test")).dom();
        ClientStream console = client.openStream(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(test, Optional.empty(), 0));
        assertThat(text(console.receive())).isEqualTo("Test guest 'test': what you type is echoed back.\r\n");
        console.send("hi\r".getBytes(StandardCharsets.UTF_8));
        assertThat(text(console.receive())).isEqualTo("hi\r\n");

        RpcClient other = connect(TEST_URI, 0);
        assertFails(() -> other.openStream(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(test, Optional.empty(), 0)),
                ErrorCode.OPERATION_FAILED, "operation failed: Active console session exists for this domain");

        other.call(RemoteCalls.DESTROY, new DomainValue(test));
        assertThat(console.receive()).as("end of file when the guest stops").isEmpty();
        console.finish();
    }

    @Test
    void aRestartedDaemonHasItsDomainsAsTheyWere() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain k1 = define(client, "k1");
        client.call(RemoteCalls.CREATE, new DomainValue(k1));
        client.close();
        clients.clear();
        virtd.close();

        virtd = Virtd.start(config());
        RpcClient after = connect(TEST_URI, 0);
        NonnullDomain found = after.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("k1")).dom();
        assertThat(found.id()).isEqualTo(2);
        assertThat(state(after, found)).isEqualTo(RUNNING);
    }

    @Test
    void oneDaemonPerRoot() {
        assertThatThrownBy(() -> Virtd.start(config().withSocket(dir.resolve("other-sock"))))
                .isInstanceOf(java.io.IOException.class)
                .hasMessageContaining("another virtd (pid " + ProcessHandle.current().pid() + ") manages root");
    }

    @Test
    void twentyClientsWorkOnTwentyDomainsAtOnce() throws Exception {
        List<Callable<Integer>> work = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String name = "vm" + i;
            work.add(() -> {
                try (RpcClient client = RpcClient.connect(virtd.socket())) {
                    client.open(Optional.of(TEST_URI), 0);
                    NonnullDomain domain = define(client, name);
                    client.call(RemoteCalls.CREATE, new DomainValue(domain));
                    client.call(RemoteCalls.SUSPEND, new DomainValue(domain));
                    client.call(RemoteCalls.RESUME, new DomainValue(domain));
                    DomainGetInfoRet info = client.call(RemoteCalls.GET_INFO, new DomainValue(domain));
                    client.call(RemoteCalls.DESTROY, new DomainValue(domain));
                    client.call(RemoteCalls.UNDEFINE, new DomainValue(domain));
                    return info.state();
                }
            });
        }
        try (ExecutorService threads = Executors.newFixedThreadPool(20)) {
            for (Future<Integer> state : threads.invokeAll(work)) {
                assertThat(state.get()).isEqualTo(RUNNING);
            }
        }
        RpcClient client = connect(TEST_URI, 0);
        assertThat(client.call(RemoteCalls.LIST_ALL_DOMAINS, new ConnectListAllDomainsArgs(true, 0)).ret()).isEqualTo(1);
    }

    private static String text(Optional<byte[]> bytes) {
        return new String(bytes.orElseThrow(), StandardCharsets.UTF_8);
    }

    @FunctionalInterface
    interface Call {
        void run() throws Exception;
    }

    private static void assertFails(Call call, ErrorCode code, String message) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(RemoteCallException.class, e -> {
            assertThat(e.error().code()).isEqualTo(code.code());
            if (message.endsWith(":")) {
                assertThat(e.error().message().orElseThrow()).startsWith(message);
            } else {
                assertThat(e.error().message()).hasValue(message);
            }
        });
    }

    /**
     * A console client that stops reading (virsh stopped with Ctrl-Z) while the guest's console echoes its input:
     * the console's end, sent when the domain is destroyed, must not hold the domain's lock behind that client.
     */
    @Test
    void aConsoleClientThatStopsReadingHoldsUpNoOperationOnTheDomain() throws Exception {
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain test = client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("test")).dom();
        try (SocketChannel stalled = SocketChannel.open(UnixDomainSocketAddress.of(virtd.socket()))) {
            writeAll(stalled, RpcMessage.of(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                    RemoteCalls.OPEN.procedure().number(), 1), new ConnectOpenArgs(Optional.of(TEST_URI), 0)));
            MessageHeader console = MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                    RemoteCalls.OPEN_CONSOLE.procedure().number(), 2);
            writeAll(stalled, RpcMessage.of(console, new DomainOpenConsoleArgs(test, Optional.empty(), 0)));
            skipFrame(stalled); // the open's reply
            skipFrame(stalled); // the console's: the stream is open
            // typing that the test console echoes, until neither direction takes more: the client never reads
            stalled.configureBlocking(false);
            byte[] keys = new byte[64 * 1024];
            Arrays.fill(keys, (byte) 'x');
            ByteBuffer frame = FrameWriter.encode(new RpcMessage(console.stream(MessageStatus.CONTINUE), keys));
            long lastProgress = System.nanoTime();
            while (System.nanoTime() - lastProgress < 2_000_000_000L) {
                if (!frame.hasRemaining()) {
                    frame.rewind();
                }
                if (stalled.write(frame) > 0) {
                    lastProgress = System.nanoTime();
                } else {
                    Thread.sleep(10);
                }
            }
            ExecutorService calls = Executors.newVirtualThreadPerTaskExecutor();
            Future<?> destroyed = calls.submit((Callable<Void>) () -> {
                client.call(RemoteCalls.DESTROY, new DomainValue(test));
                return null;
            });
            destroyed.get(20, TimeUnit.SECONDS); // generous: it hung for good
            assertThat(state(connect(TEST_URI, 0), test)).isEqualTo(SHUTOFF);
        }
    }

    /**
     * A virsh whose machine vanished (link cut, host gone) while it held a console: once its keepalive PINGs go
     * unanswered its connection is closed as a disconnect is, and the console is free for the next client.
     */
    @Test
    @Timeout(60)
    void aConsoleHeldByAClientThatVanishedIsFreedOnceItsPingsGoUnanswered() throws Exception {
        virtd.close();
        virtd = Virtd.start(config().withKeepalive(new KeepalivePolicy(Duration.ofMillis(200), 1)));
        RpcClient client = connect(TEST_URI, 0);
        NonnullDomain test = client.call(RemoteCalls.LOOKUP_BY_NAME, new StringValue("test")).dom();
        try (SocketChannel vanished = SocketChannel.open(UnixDomainSocketAddress.of(virtd.socket()))) {
            writeAll(vanished, RpcMessage.of(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                    RemoteCalls.SUPPORTS_FEATURE.procedure().number(), 1), new IntValue(ConnectFeature.PROGRAM_KEEPALIVE.code())));
            writeAll(vanished, RpcMessage.of(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                    RemoteCalls.OPEN.procedure().number(), 2), new ConnectOpenArgs(Optional.of(TEST_URI), 0)));
            writeAll(vanished, RpcMessage.of(MessageHeader.call(RemoteProgram.PROGRAM, RemoteProgram.VERSION,
                    RemoteCalls.OPEN_CONSOLE.procedure().number(), 3), new DomainOpenConsoleArgs(test, Optional.empty(), 0)));
            for (int reply = 0; reply < 3; reply++) {
                skipFrame(vanished); // its last replies; from now on it neither reads nor writes
            }

            ClientStream console = openConsoleOnceFree(client, test);
            assertThat(text(console.receive())).startsWith("Test guest 'test'");
            console.finish();
        }
    }

    /** Opens {@code domain}'s console as soon as no one else holds it (waiting generously). */
    private static ClientStream openConsoleOnceFree(RpcClient client, NonnullDomain domain) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                return client.openStream(RemoteCalls.OPEN_CONSOLE, new DomainOpenConsoleArgs(domain, Optional.empty(), 0));
            } catch (RemoteCallException e) {
                if (!e.getMessage().contains("Active console session exists") || System.nanoTime() - deadline > 0) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    /** Reads one RPC frame (a length, then as many bytes in all) and drops it. */
    private static void skipFrame(SocketChannel channel) throws Exception {
        ByteBuffer length = ByteBuffer.allocate(4);
        while (length.hasRemaining() && channel.read(length) >= 0) {
            // until the length is whole
        }
        ByteBuffer rest = ByteBuffer.allocate(length.flip().getInt() - 4);
        while (rest.hasRemaining() && channel.read(rest) >= 0) {
            // until the frame is whole
        }
    }

    private static void writeAll(SocketChannel channel, RpcMessage message) throws Exception {
        ByteBuffer bytes = FrameWriter.encode(message);
        while (bytes.hasRemaining()) {
            channel.write(bytes);
        }
    }
}
