package io.dpuvirt.rpc.server;

import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.rpc.wire.RemoteError;

/**
 * A procedure failed: the client receives this code, domain and message as a {@code remote_error}
 * and shows the message as it is (virsh prints {@code error: <message>}).
 */
public final class RpcError extends Exception {
    private final ErrorCode code;
    private final ErrorDomain domain;

    public RpcError(ErrorCode code, ErrorDomain domain, String message) {
        super(message);
        this.code = code;
        this.domain = domain;
    }

    public RpcError(ErrorCode code, ErrorDomain domain, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
        this.domain = domain;
    }

    /** VIR_ERR_NO_SUPPORT, worded as libvirt words it: the one error on which virsh tries a fallback. */
    public static RpcError noSupport(String function) {
        return new RpcError(ErrorCode.NO_SUPPORT, ErrorDomain.REMOTE,
                "this function is not supported by the connection driver: " + function);
    }

    public ErrorCode code() {
        return code;
    }

    public ErrorDomain domain() {
        return domain;
    }

    public RemoteError toRemoteError() {
        return RemoteError.of(code, domain, getMessage());
    }
}
