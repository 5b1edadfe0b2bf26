package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.ConnectListAllDomainsRet;
import io.dpuvirt.rpc.remote.DomainGetStateRet;
import io.dpuvirt.rpc.remote.DomainValue;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.Procedure;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.UnsignedHyperValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in driver for the wire tests: answers connection set-up and the few connect-level
 * procedures virsh's uri, version, hostname and list use; records every procedure it is asked.
 */
final class TestDaemon {
    static final String HOSTNAME = "dpuvirt-test-host";
    static final NonnullDomain GUEST = new NonnullDomain("guest1", UUID.fromString("4dea22b3-1d52-d8f3-2516-782e98ab3fa0"), 1);
    static final String CONSOLE_GREETING = "hello from the guest\r\n";
    private static final int RUNNING = 1;

    private final List<Integer> procedures = new CopyOnWriteArrayList<>();
    private final List<String> openedUris = new CopyOnWriteArrayList<>();
    private volatile Duration hostnameDelay = Duration.ZERO;
    private final ConsoleInput consoleInput = new ConsoleInput();

    /** What the client wrote on the console stream, and how it ended its side. */
    static final class ConsoleInput implements StreamListener {
        final StringBuffer typed = new StringBuffer();
        final CompletableFuture<StreamEnd> end = new CompletableFuture<>();

        @Override
        public void data(byte[] bytes) {
            typed.append(new String(bytes, StandardCharsets.UTF_8));
        }

        @Override
        public void closed(StreamEnd how) {
            end.complete(how);
        }
    }

    /** The handler of one connection: the shared table behind a recorder. */
    ProcedureHandler handlerFor(ClientSession session) {
        ProcedureTable table = ConnectionProcedures.addTo(ProcedureTable.builder())
                .on(RemoteCalls.OPEN, (args, call) -> {
                    openedUris.add(args.name().orElse(""));
                    return Empty.INSTANCE;
                })
                .on(RemoteCalls.GET_URI, (args, call) -> new StringValue("test:///default"))
                .on(RemoteCalls.GET_TYPE, (args, call) -> new StringValue("Test"))
                .on(RemoteCalls.GET_VERSION, (args, call) -> UnsignedHyperValue.version(2, 0, 0))
                .on(RemoteCalls.GET_LIB_VERSION, (args, call) -> UnsignedHyperValue.version(9, 0, 0))
                .on(RemoteCalls.GET_HOSTNAME, (args, call) -> {
                    sleep(hostnameDelay);
                    return new StringValue(HOSTNAME);
                })
                .on(RemoteCalls.LIST_ALL_DOMAINS, (args, call) -> ConnectListAllDomainsRet.answering(args, List.of()))
                .on(RemoteCalls.LOOKUP_BY_NAME, (args, call) -> lookUp(args.value()))
                .on(RemoteCalls.GET_STATE, (args, call) -> new DomainGetStateRet(RUNNING, 1))
                .on(RemoteCalls.OPEN_CONSOLE, (args, call) -> {
                    // sent before the reply: the server core must hold them back until it is out
                    ServerStream console = call.session().openStream(call, consoleInput);
                    sendQuietly(console, CONSOLE_GREETING);
                    return Empty.INSTANCE;
                })
                .build();
        return call -> {
            procedures.add(call.header().procedure());
            return table.handle(call);
        };
    }

    ConsoleInput consoleInput() {
        return consoleInput;
    }

    private static DomainValue lookUp(String name) throws RpcError {
        if (!name.equals(GUEST.name())) {
            throw new RpcError(ErrorCode.NO_DOMAIN, ErrorDomain.TEST, "Domain not found: no domain with matching name '" + name + "'");
        }
        return new DomainValue(GUEST);
    }

    private static void sendQuietly(ServerStream stream, String text) throws RpcError {
        try {
            stream.send(text.getBytes(StandardCharsets.UTF_8));
            stream.finish();
        } catch (java.io.IOException e) {
            throw new RpcError(ErrorCode.INTERNAL_ERROR, ErrorDomain.TEST, "console: " + e.getMessage(), e);
        }
    }

    void delayHostname(Duration delay) {
        hostnameDelay = delay;
    }

    /** Names of the procedures asked so far, in order (the server core answers AUTH_LIST itself). */
    List<String> procedureNames() {
        return procedures.stream()
                .map(number -> Procedure.of(number).map(Enum::name).orElse(String.valueOf(number)))
                .toList();
    }

    List<String> openedUris() {
        return List.copyOf(openedUris);
    }

    private static void sleep(Duration delay) {
        try {
            Thread.sleep(delay);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
