package io.dpuvirt.daemon;

import io.dpuvirt.rpc.remote.Empty;
import io.dpuvirt.rpc.remote.RemoteCalls;
import io.dpuvirt.rpc.server.ProcedureTable;
import io.dpuvirt.virt.driver.UndefineOption;

import java.util.EnumSet;

/**
 * What changes a domain: define, create, start, suspend, resume, shutdown, reboot, destroy, undefine
 * and autostart, with the flags of libvirt's APIs ({@code VIR_DOMAIN_*}); a flag this daemon cannot
 * honour is refused rather than ignored.
 */
final class LifecycleProcedures {
    static final int DEFINE_VALIDATE = 1;
    static final int START_PAUSED = 1;
    static final int START_BYPASS_CACHE = 4;
    static final int START_FORCE_BOOT = 8;
    static final int START_VALIDATE = 16;
    /** The default shutdown and reboot mode, and the ACPI power button, which is what it means here. */
    static final int SHUTDOWN_ACPI_POWER_BUTTON = 1;
    static final int DESTROY_GRACEFUL = 1;
    static final int UNDEFINE_MANAGED_SAVE = 1;
    static final int UNDEFINE_SNAPSHOTS_METADATA = 2;
    static final int UNDEFINE_NVRAM = 4;
    static final int UNDEFINE_KEEP_NVRAM = 8;
    static final int UNDEFINE_CHECKPOINTS_METADATA = 16;

    private LifecycleProcedures() {
    }

    static void addTo(ProcedureTable.Builder table, ClientConnection client) {
        table.on(RemoteCalls.DEFINE_XML, client.writing("virDomainDefineXML",
                        (driver, args) -> Wire.value(driver.define(args.value(), false))))
                .on(RemoteCalls.DEFINE_XML_FLAGS, client.writing("virDomainDefineXMLFlags", (driver, args) -> {
                    Flags.check(args.flags(), DEFINE_VALIDATE, "virDomainDefineXMLFlags");
                    return Wire.value(driver.define(args.xml(), Flags.has(args.flags(), DEFINE_VALIDATE)));
                }))
                .on(RemoteCalls.CREATE_XML, client.writing("virDomainCreateXML", (driver, args) -> {
                    Flags.check(args.flags(), START_PAUSED | START_BYPASS_CACHE | START_FORCE_BOOT | START_VALIDATE,
                            "virDomainCreateXML");
                    return Wire.value(driver.create(args.xml(), Flags.has(args.flags(), START_PAUSED),
                            Flags.has(args.flags(), START_VALIDATE)));
                }))
                .on(RemoteCalls.CREATE, client.writing("virDomainCreate", (driver, args) -> {
                    driver.start(Wire.ref(args.dom()), false);
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.CREATE_WITH_FLAGS, client.writing("virDomainCreateWithFlags", (driver, args) -> {
                    Flags.check(args.flags(), START_PAUSED | START_BYPASS_CACHE | START_FORCE_BOOT,
                            "virDomainCreateWithFlags");
                    return Wire.value(driver.start(Wire.ref(args.dom()), Flags.has(args.flags(), START_PAUSED)));
                }))
                .on(RemoteCalls.SUSPEND, client.writing("virDomainSuspend", (driver, args) -> {
                    driver.suspend(Wire.ref(args.dom()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.RESUME, client.writing("virDomainResume", (driver, args) -> {
                    driver.resume(Wire.ref(args.dom()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.SHUTDOWN, client.writing("virDomainShutdown", (driver, args) -> {
                    driver.shutdown(Wire.ref(args.dom()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.SHUTDOWN_FLAGS, client.writing("virDomainShutdownFlags", (driver, args) -> {
                    Flags.check(args.flags(), SHUTDOWN_ACPI_POWER_BUTTON, "virDomainShutdownFlags");
                    driver.shutdown(Wire.ref(args.dom()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.REBOOT, client.writing("virDomainReboot", (driver, args) -> {
                    Flags.check(args.flags(), SHUTDOWN_ACPI_POWER_BUTTON, "virDomainReboot");
                    driver.reboot(Wire.ref(args.dom()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.DESTROY, client.writing("virDomainDestroy", (driver, args) -> {
                    driver.destroy(Wire.ref(args.dom()), false);
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.DESTROY_FLAGS, client.writing("virDomainDestroyFlags", (driver, args) -> {
                    Flags.check(args.flags(), DESTROY_GRACEFUL, "virDomainDestroyFlags");
                    driver.destroy(Wire.ref(args.dom()), Flags.has(args.flags(), DESTROY_GRACEFUL));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.UNDEFINE, client.writing("virDomainUndefine", (driver, args) -> {
                    driver.undefine(Wire.ref(args.dom()), EnumSet.noneOf(UndefineOption.class));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.UNDEFINE_FLAGS, client.writing("virDomainUndefineFlags", (driver, args) -> {
                    driver.undefine(Wire.ref(args.dom()), undefineOptions(args.flags()));
                    return Empty.INSTANCE;
                }))
                .on(RemoteCalls.SET_AUTOSTART, client.writing("virDomainSetAutostart", (driver, args) -> {
                    driver.setAutostart(Wire.ref(args.dom()), args.autostart());
                    return Empty.INSTANCE;
                }));
    }

    /** No domain here has a managed save image, snapshot or checkpoint: removing their metadata is a no-op. */
    private static EnumSet<UndefineOption> undefineOptions(int flags) throws io.dpuvirt.virt.driver.DriverException {
        Flags.check(flags, UNDEFINE_MANAGED_SAVE | UNDEFINE_SNAPSHOTS_METADATA | UNDEFINE_NVRAM | UNDEFINE_KEEP_NVRAM
                | UNDEFINE_CHECKPOINTS_METADATA, "virDomainUndefineFlags");
        Flags.exclusive(flags, UNDEFINE_NVRAM, "VIR_DOMAIN_UNDEFINE_NVRAM", UNDEFINE_KEEP_NVRAM,
                "VIR_DOMAIN_UNDEFINE_KEEP_NVRAM");
        EnumSet<UndefineOption> options = EnumSet.noneOf(UndefineOption.class);
        if (Flags.has(flags, UNDEFINE_NVRAM)) {
            options.add(UndefineOption.REMOVE_NVRAM);
        }
        if (Flags.has(flags, UNDEFINE_KEEP_NVRAM)) {
            options.add(UndefineOption.KEEP_NVRAM);
        }
        return options;
    }
}
