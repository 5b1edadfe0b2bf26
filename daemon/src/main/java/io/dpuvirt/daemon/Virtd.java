package io.dpuvirt.daemon;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.rpc.server.RpcServer;
import io.dpuvirt.rpc.server.ServerConfig;
import io.dpuvirt.virt.driver.DriverContext;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.qemu.QemuDriverFactory;
import io.dpuvirt.virt.driver.stratovirt.StratovirtDriverFactory;
import io.dpuvirt.virt.driver.test.TestDriverFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The daemon: its drivers, started before anyone can connect, and libvirt's RPC protocol on its socket.
 * Which driver a client reaches depends only on the URI it opens; nothing here knows a hypervisor.
 */
public final class Virtd implements AutoCloseable {
    private final RootLock rootLock;
    private final DriverRegistry drivers;
    private final RpcServer server;

    private Virtd(RootLock rootLock, DriverRegistry drivers, RpcServer server) {
        this.rootLock = rootLock;
        this.drivers = drivers;
        this.server = server;
    }

    public static Virtd start(VirtdConfig config) throws IOException, DriverException {
        RootLock rootLock = RootLock.acquire(config.root());
        DriverRegistry drivers = null;
        try {
            DriverContext context = new DriverContext(config.root(), GuestHosts.open(config.guestHost()));
            drivers = new DriverRegistry(List.of(
                    new TestDriverFactory(context),
                    new QemuDriverFactory(context),
                    new StratovirtDriverFactory(context)));
            drivers.start();
            createSocketDirectory(config.socket());
            DriverRegistry registry = drivers;
            RpcServer server = RpcServer.start(
                    ServerConfig.at(config.socket()).withPermissions(config.socketPermissions())
                            .withKeepalive(config.keepalive()),
                    session -> RemoteProcedures.forClient(registry, config.defaultUri()));
            Log.info("listening on " + server.socketPath() + " (root " + config.root() + ", default URI "
                    + config.defaultUri() + ", guests " + config.guestHost() + ")");
            return new Virtd(rootLock, drivers, server);
        } catch (IOException | DriverException | RuntimeException e) {
            if (drivers != null) {
                drivers.close();
            }
            rootLock.close();
            throw e;
        }
    }

    public Path socket() {
        return server.socketPath();
    }

    /** Disconnects the clients and stops; guests keep running. */
    @Override
    public void close() throws IOException {
        try {
            server.close();
            drivers.close();
        } finally {
            rootLock.close();
        }
    }

    /** libvirt's /var/run/libvirt is 0755: anyone may look for the socket, whose own mode decides who connects. */
    private static void createSocketDirectory(Path socket) throws IOException {
        Path directory = socket.toAbsolutePath().getParent();
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory);
        }
    }
}
