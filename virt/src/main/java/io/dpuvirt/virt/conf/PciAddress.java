package io.dpuvirt.virt.conf;

import java.util.Optional;

/**
 * A PCI address, {@code domain:bus:slot.function}, written as libvirt writes it:
 * {@code <address type='pci' domain='0x0000' bus='0x00' slot='0x01' function='0x0'/>}. Ranges (slot 0–31,
 * function 0–7) are checked by {@link DomainValidator}, so that the message can point at the line.
 */
public record PciAddress(int domain, int bus, int slot, int function, Optional<Boolean> multifunction)
        implements DeviceAddress {
    public static final int MAX_DOMAIN = 0xffff;
    public static final int MAX_BUS = 0xff;
    public static final int MAX_SLOT = 0x1f;
    public static final int MAX_FUNCTION = 7;

    public PciAddress {
        java.util.Objects.requireNonNull(multifunction, "multifunction");
    }

    public static PciAddress of(int domain, int bus, int slot, int function) {
        return new PciAddress(domain, bus, slot, function, Optional.empty());
    }

    /** As {@code lspci} and libvirt's messages write it: {@code 0000:00:01.0}. */
    @Override
    public String toString() {
        return "%04x:%02x:%02x.%x".formatted(domain, bus, slot, function);
    }
}
