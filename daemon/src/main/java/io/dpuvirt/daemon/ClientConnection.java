package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.rpc.server.RpcCall;
import io.dpuvirt.rpc.server.RpcError;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.xdr.XdrWritable;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverException;

import java.util.Optional;

/**
 * One client's connection: the driver its CONNECT_OPEN reached and whether it is read-only. Procedure
 * implementations are made through {@link #reading} and {@link #writing}, which find the driver, refuse
 * changes on a read-only connection, and turn driver errors into the client's errors.
 */
final class ClientConnection {
    /** The body of a procedure, given the connection's driver. */
    @FunctionalInterface
    interface DriverCall<A, R> {
        R apply(Driver driver, A args) throws DriverException;
    }

    /** The body of a procedure that opens a stream, so also given the call. */
    @FunctionalInterface
    interface StreamingCall<A, R> {
        R apply(Driver driver, A args, RpcCall call) throws DriverException;
    }

    private record Opened(Driver driver, boolean readOnly) {
    }

    private final DriverRegistry drivers;
    private final String defaultUri;
    private volatile Opened opened;

    ClientConnection(DriverRegistry drivers, String defaultUri) {
        this.drivers = drivers;
        this.defaultUri = defaultUri;
    }

    /** CONNECT_OPEN: an empty name is the daemon's default URI, as libvirtd's uri_default. */
    synchronized void open(Optional<String> name, boolean readOnly) throws RpcError {
        if (opened != null) {
            throw new RpcError(ErrorCode.INTERNAL_ERROR, ErrorDomain.REMOTE, "internal error: connection already open");
        }
        String uri = name.filter(n -> !n.isEmpty()).orElse(defaultUri);
        try {
            opened = new Opened(drivers.open(uri), readOnly);
        } catch (DriverException e) {
            throw RpcErrors.of(e);
        }
    }

    <A extends XdrWritable, R extends XdrWritable> ProcedureTable.Implementation<A, R> reading(DriverCall<A, R> body) {
        return (args, call) -> invoke(driver(), args, body);
    }

    /** A procedure that changes something: refused on a read-only connection, naming the API as libvirt does. */
    <A extends XdrWritable, R extends XdrWritable> ProcedureTable.Implementation<A, R> writing(String api,
                                                                                            DriverCall<A, R> body) {
        return streaming(api, (driver, args, call) -> body.apply(driver, args));
    }

    /** A procedure that opens a stream (a console): a change, like {@link #writing}. */
    <A extends XdrWritable, R extends XdrWritable> ProcedureTable.Implementation<A, R> streaming(String api,
                                                                                              StreamingCall<A, R> body) {
        return (args, call) -> {
            Opened connection = connection();
            if (connection.readOnly()) {
                throw new RpcError(ErrorCode.OPERATION_DENIED, ErrorDomain.REMOTE,
                        "operation forbidden: read only access prevents " + api);
            }
            try {
                return body.apply(connection.driver(), args, call);
            } catch (DriverException e) {
                throw RpcErrors.of(e);
            }
        };
    }

    private Driver driver() throws RpcError {
        return connection().driver();
    }

    private Opened connection() throws RpcError {
        Opened current = opened;
        if (current == null) {
            throw new RpcError(ErrorCode.INTERNAL_ERROR, ErrorDomain.REMOTE, "internal error: connection not open");
        }
        return current;
    }

    private static <A, R> R invoke(Driver driver, A args, DriverCall<A, R> body) throws RpcError {
        try {
            return body.apply(driver, args);
        } catch (DriverException e) {
            throw RpcErrors.of(e);
        }
    }
}
