package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.virt.driver.DomainRef;

/** {@code virsh console}: DOMAIN_OPEN_CONSOLE, whose stream carries the console both ways. */
final class ConsoleProcedure {
    static final int CONSOLE_FORCE = 1;
    /** Refuse the console if the hypervisor cannot guarantee exclusive access: here it always can. */
    static final int CONSOLE_SAFE = 2;

    private ConsoleProcedure() {
    }

    static void addTo(ProcedureTable.Builder table, ClientConnection client) {
        table.on(RemoteCalls.OPEN_CONSOLE, client.streaming("virDomainOpenConsole", (driver, args, call) -> {
            Flags.check(args.flags(), CONSOLE_FORCE | CONSOLE_SAFE, "virDomainOpenConsole");
            DomainRef domain = Wire.ref(args.dom());
            ConsoleBridge bridge = new ConsoleBridge(domain.name());
            bridge.bindStream(call.session().openStream(call, bridge));
            bridge.bindSession(driver.openConsole(domain, args.devName(), Flags.has(args.flags(), CONSOLE_FORCE), bridge));
            return Empty.INSTANCE;
        }));
    }
}
