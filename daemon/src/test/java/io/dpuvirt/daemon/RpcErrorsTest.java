package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.RpcError;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.VirErrorCode;
import io.dpuvirt.virt.driver.VirErrorDomain;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Every error a driver can raise reaches the client with the same numbers. */
class RpcErrorsTest {
    @Test
    void everyDriverErrorCodeAndOriginHasItsWireCounterpart() {
        for (VirErrorCode code : VirErrorCode.values()) {
            for (VirErrorDomain origin : VirErrorDomain.values()) {
                RpcError error = RpcErrors.of(DriverException.of(code, origin, "detail"));
                assertThat(error.code().code()).isEqualTo(code.code());
                assertThat(error.domain().code()).isEqualTo(origin.code());
                assertThat(error.getMessage()).isEqualTo(code.message("detail"));
            }
        }
    }
}
