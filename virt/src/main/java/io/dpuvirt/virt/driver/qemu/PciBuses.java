package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.DeviceAddress;
import io.dpuvirt.virt.conf.PciAddress;

import java.util.Optional;
import java.util.function.IntFunction;

/**
 * How a hypervisor names PCI buses on its command line: bus 0 is the root ({@code pcie.0} on q35 and
 * virt machines, {@code pci.0} on i440fx), bus N the secondary bus of the controller with index N
 * ({@code pci.N} in QEMU as libvirt names them, {@code pcie.N} in StratoVirt).
 */
public record PciBuses(String root, IntFunction<String> secondary) {
    /** QEMU's buses for {@code machine}: PCI Express unless it is an i440fx ({@code pc…}) machine. */
    public static PciBuses qemu(String machine) {
        boolean i440fx = machine.equals("pc") || machine.startsWith("pc-i440fx") || machine.matches("pc-\\d.*");
        return new PciBuses(i440fx ? "pci.0" : "pcie.0", bus -> "pci." + bus);
    }

    /** StratoVirt's single root complex and its root ports (docs/config_guidebook.md, 2.9 PCIe root port). */
    public static PciBuses stratovirt() {
        return new PciBuses("pcie.0", bus -> "pcie." + bus);
    }

    public String name(int bus) {
        return bus == 0 ? root : secondary.apply(bus);
    }

    /**
     * {@code bus=…,addr=0xS[.0xF][,multifunction=on]} for a device's PCI address, nothing for a device
     * without one (the hypervisor then places it).
     */
    public String placement(Optional<DeviceAddress> address) {
        return address.filter(PciAddress.class::isInstance).map(PciAddress.class::cast).map(this::placement).orElse("");
    }

    public String placement(PciAddress pci) {
        String addr = pci.function() == 0 ? "0x%x".formatted(pci.slot()) : "0x%x.0x%x".formatted(pci.slot(), pci.function());
        return "bus=" + name(pci.bus()) + ",addr=" + addr + (pci.multifunction().orElse(false) ? ",multifunction=on" : "");
    }
}
