package io.dpuvirt.testbed;

import java.util.List;

/**
 * How a test bed is laid out. The name keeps several beds apart (namespaces, veth names); the private
 * directories get a fresh tmpfs on each side, so the same absolute path can hold different things on the HOST
 * and on the DPU, while everything else (/usr, /tmp, the project) is shared as on two identical machines.
 * The link's MTU defaults to 65535: the link stands for the DPU's vsock channel, whose packets carry up to 64 KiB
 * (virtio-vsock), not for an Ethernet with 1500-byte frames; {@code dpuvirt testbed up --mtu} chooses another. For the
 * same reason TCP across the link uses cubic, whatever the machine's default (this one's is bbr): vsock has no
 * congestion control and paces nothing, where bbr paces every connection at the rate it estimates, with a timer per
 * packet ({@code --congestion-control} chooses another).
 */
public record TestBedConfig(String name, String hostAddress, String dpuAddress, int prefixLength,
                            List<String> privateDirectories, int linkMtu, String linkCongestionControl) {
    public static final String DEFAULT_NAME = "tb";
    public static final int DEFAULT_LINK_MTU = 65535;
    public static final String DEFAULT_LINK_CONGESTION_CONTROL = "cubic";
    /** IPv4's minimum and the largest a veth takes. */
    public static final int MIN_LINK_MTU = 68, MAX_LINK_MTU = 65535;
    public static final List<String> DEFAULT_PRIVATE_DIRECTORIES = List.of(
            "/run", "/etc/qtfs", "/etc/rexec", "/etc/dpuvirt", "/var/lib/libvirt", "/var/lib/dpuvirt",
            "/var/log/libvirt", "/var/log/dpuvirt", "/home/VMs");

    public TestBedConfig {
        if (!name.matches("[a-z0-9]{1,10}")) {
            // the name is part of veth interface names, which the kernel limits to 15 characters
            throw new IllegalArgumentException("test bed name must be 1 to 10 lower-case letters or digits: '" + name + "'");
        }
        privateDirectories = List.copyOf(privateDirectories);
        for (String directory : privateDirectories) {
            if (!directory.startsWith("/") || directory.contains("..")) {
                throw new IllegalArgumentException("private directory must be an absolute path: " + directory);
            }
        }
        if (linkMtu < MIN_LINK_MTU || linkMtu > MAX_LINK_MTU) {
            throw new IllegalArgumentException("link MTU must be " + MIN_LINK_MTU + " to " + MAX_LINK_MTU + ": " + linkMtu);
        }
        if (!linkCongestionControl.matches("[a-z0-9_]{1,15}")) { // the kernel's TCP_CA_NAME_MAX is 16 with its NUL
            throw new IllegalArgumentException("congestion control must be a name such as cubic or bbr: '"
                    + linkCongestionControl + "'");
        }
    }

    public static TestBedConfig named(String name) {
        return new TestBedConfig(name, "169.254.77.1", "169.254.77.2", 24, DEFAULT_PRIVATE_DIRECTORIES, DEFAULT_LINK_MTU,
                DEFAULT_LINK_CONGESTION_CONTROL);
    }

    public TestBedConfig withLinkMtu(int mtu) {
        return new TestBedConfig(name, hostAddress, dpuAddress, prefixLength, privateDirectories, mtu, linkCongestionControl);
    }

    public TestBedConfig withLinkCongestionControl(String algorithm) {
        return new TestBedConfig(name, hostAddress, dpuAddress, prefixLength, privateDirectories, linkMtu, algorithm);
    }

    public static TestBedConfig defaults() {
        return named(DEFAULT_NAME);
    }

    String namespace(Side.Role role) {
        return "dpuvirt-" + name + "-" + role.shortName();
    }

    /** The side's end of the veth pair, inside its namespace (a test cuts the link by setting it down). */
    public String vethName(Side.Role role) {
        return "dv" + name + role.shortName().charAt(0);
    }

    String address(Side.Role role) {
        return role == Side.Role.HOST ? hostAddress : dpuAddress;
    }

    /** The link's network, as the kernel names its route: the address with the host bits cleared, and the prefix. */
    String linkNetwork() {
        String[] octets = hostAddress.split("\\.");
        long address = 0;
        for (String octet : octets) {
            address = address << 8 | Integer.parseInt(octet);
        }
        long network = address & (0xffffffffL << (32 - prefixLength)) & 0xffffffffL;
        return (network >>> 24) + "." + (network >>> 16 & 0xff) + "." + (network >>> 8 & 0xff) + "." + (network & 0xff)
                + "/" + prefixLength;
    }
}
