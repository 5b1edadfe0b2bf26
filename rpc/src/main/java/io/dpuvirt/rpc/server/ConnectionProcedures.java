package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.remote.ConnectFeature;
import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCalls;

import java.util.Set;

/**
 * The connection procedures every daemon answers alike, whatever its driver: which features it
 * supports (keepalive, which this server core implements and starts for a client that asks, and the close
 * callback), CONNECT_CLOSE
 * and (un)registering the close callback. CONNECT_OPEN is the driver's: it decides which URIs it serves.
 */
public final class ConnectionProcedures {
    private static final Set<Integer> SUPPORTED_FEATURES = Set.of(
            ConnectFeature.PROGRAM_KEEPALIVE.code(), ConnectFeature.REMOTE_CLOSE_CALLBACK.code());

    private ConnectionProcedures() {
    }

    public static ProcedureTable.Builder addTo(ProcedureTable.Builder table) {
        return table
                .on(RemoteCalls.SUPPORTS_FEATURE, ConnectionProcedures::supportsFeature)
                .on(RemoteCalls.CLOSE, (args, call) -> Empty.INSTANCE)
                .on(RemoteCalls.REGISTER_CLOSE_CALLBACK, (args, call) -> Empty.INSTANCE)
                .on(RemoteCalls.UNREGISTER_CLOSE_CALLBACK, (args, call) -> Empty.INSTANCE);
    }

    /** A client that asks about keepalive will answer PINGs: libvirtd starts pinging it then, and so do we. */
    private static IntValue supportsFeature(IntValue feature, RpcCall call) {
        if (feature.value() == ConnectFeature.PROGRAM_KEEPALIVE.code()) {
            call.session().startKeepalive();
        }
        return IntValue.of(SUPPORTED_FEATURES.contains(feature.value()));
    }
}
