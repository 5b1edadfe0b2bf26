package io.dpuvirt.virt.driver;

/**
 * Which domains a listing wants: libvirt's {@code VIR_CONNECT_LIST_DOMAINS_*} bits. Within each group
 * (active, persistence, state, managed save, autostart, snapshot, checkpoint) no bit set means "any",
 * several bits mean "either". Domains here never have a managed save image, snapshot or checkpoint.
 */
public record DomainFilter(int flags) {
    public static final int ACTIVE = 1, INACTIVE = 2, PERSISTENT = 4, TRANSIENT = 8, RUNNING = 16, PAUSED = 32,
            SHUTOFF = 64, OTHER = 128, MANAGEDSAVE = 256, NO_MANAGEDSAVE = 512, AUTOSTART = 1024,
            NO_AUTOSTART = 2048, HAS_SNAPSHOT = 4096, NO_SNAPSHOT = 8192, HAS_CHECKPOINT = 16384,
            NO_CHECKPOINT = 32768;
    /** Every bit libvirt 9.0 defines. */
    public static final int KNOWN = 65535;
    public static final DomainFilter ALL = new DomainFilter(0);

    public boolean matches(DomainStatus status, boolean persistent, boolean autostart) {
        DomainState state = status.state();
        boolean active = status.isActive();
        boolean other = state != DomainState.RUNNING && state != DomainState.PAUSED && state != DomainState.SHUTOFF;
        return group(ACTIVE | INACTIVE, active ? ACTIVE : INACTIVE)
                && group(PERSISTENT | TRANSIENT, persistent ? PERSISTENT : TRANSIENT)
                && group(RUNNING | PAUSED | SHUTOFF | OTHER, state == DomainState.RUNNING ? RUNNING
                        : state == DomainState.PAUSED ? PAUSED : state == DomainState.SHUTOFF ? SHUTOFF : other ? OTHER : 0)
                && group(MANAGEDSAVE | NO_MANAGEDSAVE, NO_MANAGEDSAVE)
                && group(AUTOSTART | NO_AUTOSTART, autostart ? AUTOSTART : NO_AUTOSTART)
                && group(HAS_SNAPSHOT | NO_SNAPSHOT, NO_SNAPSHOT)
                && group(HAS_CHECKPOINT | NO_CHECKPOINT, NO_CHECKPOINT);
    }

    private boolean group(int bits, int domainBit) {
        return (flags & bits) == 0 || (flags & domainBit) != 0;
    }
}
