package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.DomainGetControlInfoRet;
import io.dpuvirt.rpc.remote.DomainGetInfoRet;
import io.dpuvirt.rpc.remote.DomainGetJobInfoRet;
import io.dpuvirt.rpc.remote.DomainGetMessagesRet;
import io.dpuvirt.rpc.remote.DomainGetSecurityLabelListRet;
import io.dpuvirt.rpc.remote.DomainGetStateRet;
import io.dpuvirt.rpc.remote.IntValue;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.remote.SecurityLabel;
import io.dpuvirt.rpc.remote.StringValue;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.virt.driver.DomainInfo;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.Driver;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.DomainRef;

import java.util.List;

/**
 * What a domain is and how it is: {@code virsh dumpxml}, {@code dominfo}, {@code domstate}, the
 * checks {@code virsh undefine} makes first, and the control and job state a domain without
 * background jobs has.
 */
final class DomainInfoProcedures {
    static final int XML_SECURE = 1;
    static final int XML_INACTIVE = 2;
    static final int XML_UPDATE_CPU = 4;
    static final int XML_MIGRATABLE = 8;
    static final int MESSAGE_DECLARATION = 1;
    static final int MESSAGE_TAINTING = 2;
    /** Every VIR_DOMAIN_SNAPSHOT_LIST_* bit: there are no snapshots to filter. */
    static final int SNAPSHOT_LIST_FLAGS = 0x1fff;

    private DomainInfoProcedures() {
    }

    static void addTo(ProcedureTable.Builder table, ClientConnection client) {
        table.on(RemoteCalls.GET_XML_DESC, client.reading((driver, args) -> {
                    Flags.check(args.flags(), XML_SECURE | XML_INACTIVE | XML_UPDATE_CPU | XML_MIGRATABLE,
                            "virDomainGetXMLDesc");
                    return new StringValue(driver.xml(Wire.ref(args.dom()),
                            Flags.has(args.flags(), XML_INACTIVE | XML_MIGRATABLE)));
                }))
                .on(RemoteCalls.GET_INFO, client.reading((driver, args) -> info(driver.info(Wire.ref(args.dom())))))
                .on(RemoteCalls.GET_STATE, client.reading((driver, args) -> {
                    Flags.check(args.flags(), 0, "virDomainGetState");
                    DomainStatus status = driver.status(Wire.ref(args.dom()));
                    return new DomainGetStateRet(status.state().code(), status.reason());
                }))
                .on(RemoteCalls.GET_OS_TYPE, client.reading((driver, args) -> new StringValue(driver.osType(Wire.ref(args.dom())))))
                .on(RemoteCalls.GET_AUTOSTART, client.reading((driver, args) -> IntValue.of(driver.autostart(Wire.ref(args.dom())))))
                .on(RemoteCalls.IS_ACTIVE, client.reading((driver, args) -> IntValue.of(driver.isActive(Wire.ref(args.dom())))))
                .on(RemoteCalls.IS_PERSISTENT, client.reading((driver, args) -> IntValue.of(driver.isPersistent(Wire.ref(args.dom())))))
                .on(RemoteCalls.HAS_MANAGED_SAVE_IMAGE, client.reading((driver, args) -> {
                    Flags.check(args.flags(), 0, "virDomainHasManagedSaveImage");
                    requireExists(driver, Wire.ref(args.dom()));
                    return IntValue.of(false);
                }))
                .on(RemoteCalls.SNAPSHOT_NUM, client.reading((driver, args) -> {
                    Flags.check(args.flags(), SNAPSHOT_LIST_FLAGS, "virDomainSnapshotNum");
                    requireExists(driver, Wire.ref(args.dom()));
                    return new IntValue(0);
                }))
                .on(RemoteCalls.GET_SECURITY_LABEL, client.reading((driver, args) -> label(driver, Wire.ref(args.dom()))))
                .on(RemoteCalls.GET_SECURITY_LABEL_LIST, client.reading((driver, args) ->
                        DomainGetSecurityLabelListRet.of(List.of(label(driver, Wire.ref(args.dom()))))))
                .on(RemoteCalls.GET_MESSAGES, client.reading((driver, args) -> {
                    Flags.check(args.flags(), MESSAGE_DECLARATION | MESSAGE_TAINTING, "virDomainGetMessages");
                    requireExists(driver, Wire.ref(args.dom()));
                    return new DomainGetMessagesRet(List.of());
                }))
                .on(RemoteCalls.GET_CONTROL_INFO, client.reading((driver, args) -> {
                    Flags.check(args.flags(), 0, "virDomainGetControlInfo");
                    requireExists(driver, Wire.ref(args.dom()));
                    return new DomainGetControlInfoRet(0, 0, 0); // VIR_DOMAIN_CONTROL_OK: no job holds the domain
                }))
                .on(RemoteCalls.GET_JOB_INFO, client.reading((driver, args) -> {
                    requireExists(driver, Wire.ref(args.dom()));
                    return new DomainGetJobInfoRet(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0); // VIR_DOMAIN_JOB_NONE
                }));
    }

    private static DomainGetInfoRet info(DomainInfo info) {
        return new DomainGetInfoRet(info.state().code(), info.maxMemoryKiB(), info.memoryKiB(), info.vcpus(),
                info.cpuTimeNs());
    }

    private static SecurityLabel label(Driver driver, DomainRef domain) throws DriverException {
        io.dpuvirt.virt.driver.SecurityLabel label = driver.securityLabel(domain);
        return new SecurityLabel(label.label(), label.enforcing());
    }

    /**
     * No domain here has a managed save image, snapshot, message or job, but a question about a domain
     * that is gone must still fail as libvirt's does.
     */
    private static void requireExists(Driver driver, DomainRef domain) throws DriverException {
        driver.status(domain);
    }
}
