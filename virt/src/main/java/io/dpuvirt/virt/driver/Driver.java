package io.dpuvirt.virt.driver;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One hypervisor driver as the daemon serves it: libvirt's connection and domain calls with libvirt's
 * semantics, for every client connected to its URI. Domains are named by {@link DomainRef} and found by
 * UUID. Every failure is a {@link DriverException} carrying libvirt's error code and message.
 * <p>
 * Calls on one domain are serialized by the driver; calls on different domains run in parallel.
 */
public interface Driver {
    // ---- the connection and the node

    /** The URI clients opened it with, canonical: {@code test:///default}. */
    String uri();

    /** virConnectGetType: {@code TEST}, {@code QEMU}. */
    String type();

    /** The hypervisor's version, encoded as libvirt does: major × 1,000,000 + minor × 1,000 + micro. */
    long version();

    String hostname();

    /** The capabilities XML ({@code virsh capabilities}). */
    String capabilities();

    NodeInfo nodeInfo();

    SecurityModel securityModel();

    // ---- finding domains

    /** The domains {@code filter} selects, in no particular order. */
    List<DomainRef> listDomains(DomainFilter filter);

    DomainRef lookupByName(String name) throws DriverException;

    DomainRef lookupByUuid(UUID uuid) throws DriverException;

    DomainRef lookupById(int id) throws DriverException;

    // ---- lifecycle

    /** Defines a persistent domain, or replaces the definition of the one with the same name and UUID. */
    DomainRef define(String xml, boolean validateSchema) throws DriverException;

    /** Starts a transient domain (or a defined one with this configuration for this run). */
    DomainRef create(String xml, boolean paused, boolean validateSchema) throws DriverException;

    /** Starts a defined domain; the result carries its new id. */
    DomainRef start(DomainRef domain, boolean paused) throws DriverException;

    void suspend(DomainRef domain) throws DriverException;

    void resume(DomainRef domain) throws DriverException;

    /** Asks the guest to power off (ACPI); it stops when the guest is done. */
    void shutdown(DomainRef domain) throws DriverException;

    void reboot(DomainRef domain) throws DriverException;

    /** Stops the guest now; {@code graceful}: ask (SIGTERM) but never force (SIGKILL). */
    void destroy(DomainRef domain, boolean graceful) throws DriverException;

    /** Removes the definition; a running domain keeps running, transient from now on. */
    void undefine(DomainRef domain, EnumSet<UndefineOption> options) throws DriverException;

    // ---- what a domain is and how it is

    /** The live definition of a running domain, or with {@code inactive} (or when it is not running) the persistent one. */
    String xml(DomainRef domain, boolean inactive) throws DriverException;

    DomainInfo info(DomainRef domain) throws DriverException;

    DomainStatus status(DomainRef domain) throws DriverException;

    String osType(DomainRef domain) throws DriverException;

    boolean isActive(DomainRef domain) throws DriverException;

    boolean isPersistent(DomainRef domain) throws DriverException;

    boolean autostart(DomainRef domain) throws DriverException;

    void setAutostart(DomainRef domain, boolean autostart) throws DriverException;

    SecurityLabel securityLabel(DomainRef domain) throws DriverException;

    /**
     * Attaches to the console {@code device} (an alias; empty: the first console) of a running domain.
     * One session per domain: {@code force} detaches the current one, otherwise a second one fails.
     */
    ConsoleSession openConsole(DomainRef domain, Optional<String> device, boolean force, ConsoleOutput output)
            throws DriverException;
}
