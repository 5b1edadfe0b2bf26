package io.dpuvirt.virt.conf;

/**
 * What one hypervisor driver cannot run although libvirt's XML can describe it, checked after the
 * general rules of {@link DomainValidator}.
 */
public interface DriverLimits {
    /** For drivers that take whatever libvirt's XML allows. */
    DriverLimits NONE = (config, report) -> { };

    void check(DomainConfig config, ProblemReport report);
}
