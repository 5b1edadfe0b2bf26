package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A network {@code <interface>}. Its XML {@code type} follows from the kind of {@link Source}: a Linux
 * bridge, a libvirt network, a vhost-user socket (OVS-DPDK) or a plain tap device ({@code ethernet}).
 */
public record InterfaceConfig(Source source, Optional<MacAddress> mac, Optional<String> targetDev,
                              Optional<String> model, Optional<String> driverName, Optional<Integer> driverQueues,
                              Optional<Integer> bootOrder, Optional<String> alias, Optional<DeviceAddress> address,
                              Extensions extensions) implements Device<InterfaceConfig> {
    public enum Type implements XmlEnum { BRIDGE, NETWORK, VHOSTUSER, ETHERNET }

    /** Which side creates a vhost-user socket: with {@code server} QEMU listens, with {@code client} it connects. */
    public enum VhostUserMode implements XmlEnum { CLIENT, SERVER }

    public sealed interface Source {
        Type type();
    }

    public record Bridge(String bridge) implements Source {
        public Bridge {
            Objects.requireNonNull(bridge, "bridge");
        }

        @Override
        public Type type() {
            return Type.BRIDGE;
        }
    }

    public record Network(String network) implements Source {
        public Network {
            Objects.requireNonNull(network, "network");
        }

        @Override
        public Type type() {
            return Type.NETWORK;
        }
    }

    public record VhostUser(String path, VhostUserMode mode) implements Source {
        public VhostUser {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(mode, "mode");
        }

        @Override
        public Type type() {
            return Type.VHOSTUSER;
        }
    }

    public record Ethernet() implements Source {
        @Override
        public Type type() {
            return Type.ETHERNET;
        }
    }

    public InterfaceConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(extensions, "extensions");
    }

    public InterfaceConfig withMac(MacAddress newMac) {
        return new InterfaceConfig(source, Optional.of(newMac), targetDev, model, driverName, driverQueues,
                bootOrder, alias, address, extensions);
    }

    @Override
    public InterfaceConfig withAddress(DeviceAddress newAddress) {
        return new InterfaceConfig(source, mac, targetDev, model, driverName, driverQueues, bootOrder, alias,
                Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "interface";
    }

    @Override
    public boolean needsPciAddress() {
        return true;
    }
}
