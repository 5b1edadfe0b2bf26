package io.dpuvirt.daemon;

import io.dpuvirt.rpc.server.ConnectionProcedures;
import io.dpuvirt.rpc.server.ProcedureHandler;
import io.dpuvirt.rpc.server.ProcedureTable;

/**
 * The REMOTE program as virtd serves it to one client: the procedures every daemon answers alike,
 * then the connection, listing, lifecycle, information and console procedures on the client's driver.
 * Any other procedure is answered VIR_ERR_NO_SUPPORT, on which virsh falls back.
 */
final class RemoteProcedures {
    private RemoteProcedures() {
    }

    static ProcedureHandler forClient(DriverRegistry drivers, String defaultUri) {
        ClientConnection client = new ClientConnection(drivers, defaultUri);
        ProcedureTable.Builder table = ConnectionProcedures.addTo(ProcedureTable.builder());
        ConnectProcedures.addTo(table, client);
        ListingProcedures.addTo(table, client);
        LifecycleProcedures.addTo(table, client);
        DomainInfoProcedures.addTo(table, client);
        ConsoleProcedure.addTo(table, client);
        return table.build();
    }
}
