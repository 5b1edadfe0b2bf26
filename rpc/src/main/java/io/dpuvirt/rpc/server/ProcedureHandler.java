package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.xdr.XdrWritable;

/**
 * What a driver plugs into the server: answers REMOTE calls. The server creates one per client
 * connection, handles keepalive, AUTH_LIST and streams itself, and may run several calls of one
 * client at once, as libvirtd does.
 *
 * <p>{@link ProcedureTable} builds one from per-procedure lambdas.
 */
@FunctionalInterface
public interface ProcedureHandler {
    /**
     * Returns the call's ret (an {@code Empty} for void), or throws the error the client must see;
     * for a procedure it does not implement, {@link RpcError#noSupport}.
     */
    XdrWritable handle(RpcCall call) throws RpcError;
}
