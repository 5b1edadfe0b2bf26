package io.dpuvirt.cli.virsh;

import io.dpuvirt.rpc.client.RemoteCallException;
import io.dpuvirt.rpc.client.RpcClient;
import io.dpuvirt.rpc.remote.DomainLookupByUuidArgs;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCall;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.ConnectOpenArgs;
import io.dpuvirt.rpc.wire.NonnullDomain;
import io.dpuvirt.rpc.xdr.XdrWritable;

import java.io.IOException;
import java.util.EnumSet;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * What virsh's commands run with: the connection to the daemon, made when a command first needs it, and
 * the output. Domain arguments are looked up as virsh does.
 */
final class Session implements AutoCloseable {
    private static final Pattern UUID_TEXT = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final ConnectionUri uri;
    private final boolean readOnly;
    private final Output output;
    private RpcClient client;

    Session(ConnectionUri uri, boolean readOnly, Output output) {
        this.uri = uri;
        this.readOnly = readOnly;
        this.output = output;
    }

    Output output() {
        return output;
    }

    /** The URI as the user gave it; without one, the daemon's. */
    String uri() throws VirshException, RemoteCallException {
        return uri.original().isEmpty() ? call(RemoteCalls.GET_URI, Empty.INSTANCE).value() : uri.original();
    }

    RpcClient client() throws VirshException {
        if (client == null) {
            client = connect();
        }
        return client;
    }

    <A extends XdrWritable, R extends XdrWritable> R call(RemoteCall<A, R> procedure, A args)
            throws VirshException, RemoteCallException {
        try {
            return client().call(procedure, args);
        } catch (IOException e) {
            throw new VirshException("connection to the daemon lost: " + e.getMessage());
        }
    }

    /** virshLookupDomainBy: an id, then a UUID, then a name, as {@code ways} allow; errors in between are dropped. */
    NonnullDomain domain(String argument, EnumSet<Lookup> ways) throws VirshException {
        Optional<NonnullDomain> found = Optional.empty();
        if (ways.contains(Lookup.BY_ID) && argument.matches("\\d{1,9}")) {
            found = quietly(RemoteCalls.LOOKUP_BY_ID, new IntValue(Integer.parseInt(argument)));
        }
        if (found.isEmpty() && ways.contains(Lookup.BY_UUID) && UUID_TEXT.matcher(argument).matches()) {
            found = quietly(RemoteCalls.LOOKUP_BY_UUID, new DomainLookupByUuidArgs(UUID.fromString(argument)));
        }
        if (found.isEmpty() && ways.contains(Lookup.BY_NAME)) {
            found = quietly(RemoteCalls.LOOKUP_BY_NAME, new StringValue(argument));
        }
        return found.orElseThrow(() -> new VirshException("failed to get domain '" + argument + "'"));
    }

    NonnullDomain domain(String argument) throws VirshException {
        return domain(argument, EnumSet.allOf(Lookup.class));
    }

    private <A extends XdrWritable> Optional<NonnullDomain> quietly(
            RemoteCall<A, io.dpuvirt.rpc.remote.DomainValue> lookup, A args) throws VirshException {
        try {
            return Optional.of(call(lookup, args).dom());
        } catch (RemoteCallException e) {
            return Optional.empty();
        }
    }

    private RpcClient connect() throws VirshException {
        RpcClient connected;
        try {
            connected = RpcClient.connect(uri.socket());
        } catch (IOException e) {
            throw new VirshException("failed to connect to the hypervisor",
                    "Failed to connect socket to '" + uri.socket() + "': " + e.getMessage());
        }
        try {
            connected.open(uri.remoteName().isEmpty() ? Optional.empty() : Optional.of(uri.remoteName()),
                    readOnly ? ConnectOpenArgs.READ_ONLY : 0);
            return connected;
        } catch (IOException | RemoteCallException e) {
            closeQuietly(connected);
            throw new VirshException("failed to connect to the hypervisor", e instanceof RemoteCallException remote
                    ? remote.error().message().orElse("unknown error") : e.getMessage());
        }
    }

    @Override
    public void close() {
        if (client != null) {
            closeQuietly(client);
        }
    }

    private void closeQuietly(RpcClient connected) {
        try {
            connected.close();
        } catch (IOException e) {
            output.error("closing the connection: " + e.getMessage());
        }
    }
}
