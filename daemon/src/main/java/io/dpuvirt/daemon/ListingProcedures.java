package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.ConnectListAllDomainsRet;
import io.dpuvirt.rpc.remote.ConnectListDefinedDomainsRet;
import io.dpuvirt.rpc.remote.ConnectListDomainsRet;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.virt.driver.DomainFilter;
import io.dpuvirt.virt.driver.DomainRef;
import io.dpuvirt.virt.driver.Driver;

import java.util.Comparator;
import java.util.List;

/**
 * Finding domains: the listings ({@code virsh list} uses CONNECT_LIST_ALL_DOMAINS, older clients the
 * id and name lists) and the three lookups.
 */
final class ListingProcedures {
    private ListingProcedures() {
    }

    static void addTo(ProcedureTable.Builder table, ClientConnection client) {
        table.on(RemoteCalls.LIST_ALL_DOMAINS, client.reading((driver, args) -> {
                    Flags.check(args.flags(), DomainFilter.KNOWN, "virConnectListAllDomains");
                    List<DomainRef> domains = driver.listDomains(new DomainFilter(args.flags()));
                    return ConnectListAllDomainsRet.answering(args, domains.stream().map(Wire::domain).toList());
                }))
                .on(RemoteCalls.LIST_DOMAINS, client.reading((driver, args) -> new ConnectListDomainsRet(
                        active(driver).stream().map(DomainRef::id).sorted().limit(Math.max(0, args.value())).toList())))
                .on(RemoteCalls.NUM_OF_DOMAINS, client.reading((driver, args) -> new IntValue(active(driver).size())))
                .on(RemoteCalls.LIST_DEFINED_DOMAINS, client.reading((driver, args) -> new ConnectListDefinedDomainsRet(
                        inactive(driver).stream().map(DomainRef::name).sorted(Comparator.naturalOrder())
                                .limit(Math.max(0, args.value())).toList())))
                .on(RemoteCalls.NUM_OF_DEFINED_DOMAINS, client.reading((driver, args) -> new IntValue(inactive(driver).size())))
                .on(RemoteCalls.LOOKUP_BY_NAME, client.reading((driver, args) -> Wire.value(driver.lookupByName(args.value()))))
                .on(RemoteCalls.LOOKUP_BY_UUID, client.reading((driver, args) -> Wire.value(driver.lookupByUuid(args.uuid()))))
                .on(RemoteCalls.LOOKUP_BY_ID, client.reading((driver, args) -> Wire.value(driver.lookupById(args.value()))));
    }

    private static List<DomainRef> active(Driver driver) {
        return driver.listDomains(new DomainFilter(DomainFilter.ACTIVE));
    }

    private static List<DomainRef> inactive(Driver driver) {
        return driver.listDomains(new DomainFilter(DomainFilter.INACTIVE));
    }
}
