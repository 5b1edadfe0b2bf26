package io.dpuvirt.rpc.remote;

/**
 * The {@code VIR_DRV_FEATURE_*} numbers the remote client asks CONNECT_SUPPORTS_FEATURE about while
 * it connects (libvirt's internal {@code libvirt_internal.h}).
 */
public enum ConnectFeature {
    /** Asked before CONNECT_OPEN: the daemon answers KEEPALIVE pings. */
    PROGRAM_KEEPALIVE(10),
    /** Events registered with callback ids (CONNECT_DOMAIN_EVENT_CALLBACK_REGISTER_ANY). */
    REMOTE_EVENT_CALLBACK(14),
    /** CONNECT_REGISTER_CLOSE_CALLBACK is understood; the client then calls it. */
    REMOTE_CLOSE_CALLBACK(15);

    private final int code;

    ConnectFeature(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
