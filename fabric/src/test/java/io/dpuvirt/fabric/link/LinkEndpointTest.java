package io.dpuvirt.fabric.link;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.net.NativeSocket;
import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.common.net.SocketType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;

@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class LinkEndpointTest {
    private static final int PORT = 41_977;

    /**
     * A shutdown wakes an accept on a TCP listener but not on a vsock one: an endpoint closed while its accept waited
     * kept the port bound for the rest of the process (this machine has no vsock loopback to dial, but binds).
     */
    @Test
    void aClosedEndpointReleasesItsVsockPort() throws Exception {
        Transport vsock = Transport.of(true, String.valueOf(SockAddr.Vsock.CID_ANY & 0xffffffffL), String.valueOf(PORT), "2", String.valueOf(PORT));
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            LinkEndpoint endpoint = new LinkEndpoint(vsock, new Handshake(LinkKey.of("a test key of enough length".getBytes(StandardCharsets.UTF_8))), threads);
            endpoint.start();
            Thread.sleep(100); // its accept waits
            endpoint.close();
            long deadline = System.nanoTime() + LinkEndpoint.CLOSE_CHECK.multipliedBy(10).toNanos();
            Optional<NativeSocket> again = Optional.empty();
            while (again.isEmpty() && System.nanoTime() < deadline) {
                again = bind(vsock.local());
                Thread.sleep(20);
            }
            assertThat(again).as("the port bound again").isPresent();
            again.get().close();
        } finally {
            threads.shutdownNow();
        }
    }

    private static Optional<NativeSocket> bind(SockAddr address) {
        try {
            return Optional.of(NativeSocket.listen(address, SocketType.STREAM, 1));
        } catch (LinuxException e) {
            return Optional.empty(); // EADDRINUSE while the old listener lives
        }
    }
}
