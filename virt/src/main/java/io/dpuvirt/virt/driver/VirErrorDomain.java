package io.dpuvirt.virt.driver;

/** Where an error comes from: the {@code virErrorDomain} values drivers use, with libvirt's numbers. */
public enum VirErrorDomain {
    CONF(9), QEMU(10), TEST(12), DOMAIN(20);

    private final int code;

    VirErrorDomain(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }
}
