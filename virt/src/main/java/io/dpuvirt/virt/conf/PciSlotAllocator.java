package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.SourcePosition;

import java.util.BitSet;
import java.util.Optional;

/**
 * Gives every PCI device that has no address the lowest free slot on bus 0 (function 0), in libvirt's
 * device order. A slot is taken when any device already uses any of its functions. Reserved:
 * slot 0 always (host bridge); slot 1 on i440fx machines ({@code pc*}: the PIIX3 ISA/IDE/USB functions
 * live there); slot 0x1f on q35 (ICH9 LPC, SATA and SMBus). libvirt itself puts devices of a q35 guest
 * behind pcie-root-ports; everything on bus 0 is simpler, works on every machine type, and the guests
 * of seed 004 give explicit addresses anyway.
 */
final class PciSlotAllocator implements Devices.DeviceMapper {
    private final BitSet taken = new BitSet(PciAddress.MAX_SLOT + 1);
    private final String domainName;

    private PciSlotAllocator(Devices devices, Optional<String> machine, String domainName) {
        this.domainName = domainName;
        taken.set(0);
        machine.ifPresent(m -> {
            if (m.contains("q35")) {
                taken.set(0x1f);
            } else if (m.equals("pc") || m.startsWith("pc-i440fx") || m.matches("pc-\\d.*")) {
                taken.set(1);
            }
        });
        devices.pciAddresses()
                .filter(a -> a.domain() == 0 && a.bus() == 0 && a.slot() <= PciAddress.MAX_SLOT)
                .forEach(a -> taken.set(a.slot()));
    }

    static Devices assign(Devices devices, Optional<String> machine, String domainName) {
        return devices.map(new PciSlotAllocator(devices, machine, domainName));
    }

    @Override
    public <T extends Device<T>> T map(T device) {
        if (device.address().isPresent() || !device.needsPciAddress()) {
            return device;
        }
        int slot = taken.nextClearBit(1);
        if (slot > PciAddress.MAX_SLOT) {
            throw new DomainXmlException(new ConfigProblem(domainName, SourcePosition.UNKNOWN,
                    DeviceAt.DEVICES.child(device.elementName()), Optional.empty(),
                    "no free PCI slot left on bus 0 for this device"));
        }
        taken.set(slot);
        return device.withAddress(PciAddress.of(0, 0, slot, 0));
    }
}
