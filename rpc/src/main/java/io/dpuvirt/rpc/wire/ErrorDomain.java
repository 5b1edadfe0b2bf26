package io.dpuvirt.rpc.wire;

/** The {@code virErrorDomain} values this project uses (numbers from libvirt's {@code virterror.h}). */
public enum ErrorDomain {
    NONE(0),
    XML(5),
    DOM(6),
    RPC(7),
    CONF(9),
    QEMU(10),
    TEST(12),
    REMOTE(13),
    STORAGE(18),
    NETWORK(19),
    DOMAIN(20),
    NODEDEV(22),
    SECURITY(24),
    STREAMS(38);

    private final int code;

    ErrorDomain(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
