package io.dpuvirt.virt.driver;

/** libvirt's {@code virDomainState}, with its numbers. */
public enum DomainState {
    NOSTATE(0), RUNNING(1), BLOCKED(2), PAUSED(3), SHUTDOWN(4), SHUTOFF(5), CRASHED(6), PMSUSPENDED(7);

    private final int code;

    DomainState(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    /** Whether a domain in this state has a running guest (libvirt's virDomainObjIsActive). */
    public boolean isActive() {
        return this != SHUTOFF;
    }
}
