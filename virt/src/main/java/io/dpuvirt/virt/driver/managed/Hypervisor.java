package io.dpuvirt.virt.driver.managed;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DriverLimits;
import io.dpuvirt.virt.driver.DomainStatus;
import io.dpuvirt.virt.driver.DriverException;
import io.dpuvirt.virt.driver.NodeInfo;
import io.dpuvirt.virt.driver.SecurityLabel;
import io.dpuvirt.virt.driver.SecurityModel;
import io.dpuvirt.virt.driver.UndefineOption;
import io.dpuvirt.virt.driver.VirErrorDomain;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;

/**
 * What one hypervisor brings to a {@link ManagedDriver}: how to run a guest and how to find it again,
 * and what it says about itself. Everything else — definitions, uniqueness, states and their rules,
 * persistence, locking — is the managed driver's, the same for every hypervisor.
 */
public interface Hypervisor {
    /** The driver's name, also the name of its directories: {@code test}, {@code qemu}. */
    String name();

    /** The canonical URI of its connections: {@code test:///default}. */
    String uri();

    /** Where its errors come from, for clients. */
    VirErrorDomain errorDomain();

    /** virConnectGetType: {@code TEST}, {@code QEMU}. */
    String type();

    /** Encoded as libvirt does: major × 1,000,000 + minor × 1,000 + micro. */
    long version();

    String hostname();

    String capabilities();

    NodeInfo nodeInfo();

    SecurityModel securityModel();

    SecurityLabel securityLabel(DomainConfig config, boolean active);

    /** What this hypervisor cannot run, checked when a domain is defined or created. */
    DriverLimits limits();

    /** virDomainGetOSType. */
    String osType(DomainConfig config);

    /**
     * Starts a guest with {@code config} as domain {@code id}; {@code paused}: its vCPUs do not run until
     * resumed. Returns once the guest exists. {@code listener} hears of the state changes the guest makes
     * on its own (it powered off, it crashed). {@code recorder} is told as soon as a process runs (a guest without
     * a process of its own need not tell it).
     */
    Guest launch(DomainConfig config, int id, boolean paused, GuestListener listener, SpawnRecorder recorder)
            throws DriverException;

    /**
     * Finds a guest again after a daemon restart, from what its {@link Guest#facts()} were: empty when it
     * is gone. A guest found again is never restarted or killed.
     */
    Optional<Guest> reattach(DomainConfig config, int id, DomainStatus status, Map<String, String> facts,
                             GuestListener listener) throws DriverException;

    /** The definition was removed: remove what belongs to it alone (its UEFI variables, as {@code options} say). */
    void undefined(DomainConfig config, EnumSet<UndefineOption> options) throws DriverException;
}
