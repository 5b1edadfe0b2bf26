package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.RpcError;
import io.dpuvirt.rpc.wire.ErrorCode;
import io.dpuvirt.rpc.wire.ErrorDomain;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.util.Arrays;

/** A driver's error as the client must see it: same code, same origin, same message. */
final class RpcErrors {
    private RpcErrors() {
    }

    static RpcError of(DriverException e) {
        return new RpcError(code(e.code()), domain(e.origin()), e.getMessage(), e);
    }

    static ErrorCode code(VirErrorCode code) {
        return ErrorCode.of(code.code()).orElseThrow(() -> new IllegalStateException(
                "the wire layer lacks libvirt error code " + code + " (" + code.code() + ")"));
    }

    static ErrorDomain domain(VirErrorDomain origin) {
        return Arrays.stream(ErrorDomain.values()).filter(d -> d.code() == origin.code()).findFirst()
                .orElseThrow(() -> new IllegalStateException(
                        "the wire layer lacks libvirt error domain " + origin + " (" + origin.code() + ")"));
    }
}
