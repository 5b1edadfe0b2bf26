package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A host PCI device passed through to the guest ({@code <hostdev mode='subsystem' type='pci'>}):
 * {@code source} is its address on the host, {@code address} its address in the guest. With
 * {@code managed} libvirt binds it to vfio-pci itself.
 */
public record HostdevConfig(PciAddress source, Optional<Boolean> managed, Optional<Integer> bootOrder,
                            Optional<String> alias, Optional<DeviceAddress> address, Extensions extensions)
        implements Device<HostdevConfig> {
    public HostdevConfig {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(extensions, "extensions");
    }

    @Override
    public HostdevConfig withAddress(DeviceAddress newAddress) {
        return new HostdevConfig(source, managed, bootOrder, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "hostdev";
    }

    @Override
    public boolean needsPciAddress() {
        return true;
    }
}
