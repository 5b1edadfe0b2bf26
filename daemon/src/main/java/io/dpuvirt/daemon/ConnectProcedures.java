package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.NodeGetInfoRet;
import io.dpuvirt.rpc.remote.NodeGetSecurityModelRet;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.remote.UnsignedHyperValue;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.driver.SecurityModel;

/**
 * The connection and the node: CONNECT_OPEN, then what {@code virsh uri}, {@code version},
 * {@code hostname}, {@code capabilities} and {@code nodeinfo} ask.
 */
final class ConnectProcedures {
    /** The libvirt API level this daemon implements, which {@code virsh version} shows as the daemon's. */
    static final UnsignedHyperValue LIBRARY_VERSION = UnsignedHyperValue.version(9, 0, 0);

    private ConnectProcedures() {
    }

    static void addTo(ProcedureTable.Builder table, ClientConnection client) {
        table.on(RemoteCalls.OPEN, (args, call) -> {
                    client.open(args.name(), args.readOnly());
                    return Empty.INSTANCE;
                })
                .on(RemoteCalls.GET_URI, client.reading((driver, args) -> new StringValue(driver.uri())))
                .on(RemoteCalls.GET_TYPE, client.reading((driver, args) -> new StringValue(driver.type())))
                .on(RemoteCalls.GET_VERSION, client.reading((driver, args) -> new UnsignedHyperValue(driver.version())))
                .on(RemoteCalls.GET_LIB_VERSION, client.reading((driver, args) -> LIBRARY_VERSION))
                .on(RemoteCalls.GET_HOSTNAME, client.reading((driver, args) -> new StringValue(driver.hostname())))
                .on(RemoteCalls.GET_CAPABILITIES, client.reading((driver, args) -> new StringValue(driver.capabilities())))
                .on(RemoteCalls.NODE_INFO, client.reading((driver, args) -> nodeInfo(driver.nodeInfo())))
                .on(RemoteCalls.NODE_SECURITY_MODEL, client.reading((driver, args) -> securityModel(driver.securityModel())));
    }

    private static NodeGetInfoRet nodeInfo(NodeInfo node) {
        return new NodeGetInfoRet(node.model(), node.memoryKiB(), node.cpus(), node.mhz(), node.nodes(), node.sockets(),
                node.cores(), node.threads());
    }

    private static NodeGetSecurityModelRet securityModel(SecurityModel model) {
        return new NodeGetSecurityModelRet(model.model(), model.doi());
    }
}
