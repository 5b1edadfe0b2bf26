package io.dpuvirt.virt.conf;

/** Where a device sits on the guest's buses: a PCI address, or another kind kept as written. */
public sealed interface DeviceAddress permits PciAddress, OtherAddress {
}
