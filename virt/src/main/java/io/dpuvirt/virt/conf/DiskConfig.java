package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;

/**
 * A {@code <disk>}: an image file or a block device (an LVM volume, say) shown to the guest as a disk or
 * a CD-ROM. {@code source} is the file path or the device path, according to {@code type}.
 */
public record DiskConfig(Type type, DiskDevice device, Optional<DiskDriver> driver, Optional<String> source,
                         String targetDev, Optional<String> targetBus, boolean readonly, Optional<String> serial,
                         Optional<IoTune> iotune, Optional<Integer> bootOrder, Optional<String> alias,
                         Optional<DeviceAddress> address, Extensions extensions) implements Device<DiskConfig> {
    public enum Type implements XmlEnum { FILE, BLOCK }

    public enum DiskDevice implements XmlEnum { DISK, CDROM }

    public DiskConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(driver, "driver");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(targetDev, "targetDev");
        Objects.requireNonNull(targetBus, "targetBus");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(iotune, "iotune");
        Objects.requireNonNull(bootOrder, "bootOrder");
        Objects.requireNonNull(alias, "alias");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(extensions, "extensions");
    }

    /** The bus, or the one libvirt infers from the target name's prefix when none is given. */
    public String effectiveBus() {
        return targetBus.orElseGet(() -> {
            if (targetDev.startsWith("vd")) {
                return "virtio";
            } else if (targetDev.startsWith("sd")) {
                return "scsi";
            } else if (targetDev.startsWith("xvd")) {
                return "xen";
            } else if (targetDev.startsWith("fd")) {
                return "fdc";
            }
            return "ide";
        });
    }

    @Override
    public DiskConfig withAddress(DeviceAddress newAddress) {
        return new DiskConfig(type, device, driver, source, targetDev, targetBus, readonly, serial, iotune,
                bootOrder, alias, Optional.of(newAddress), extensions);
    }

    @Override
    public String elementName() {
        return "disk";
    }

    @Override
    public boolean needsPciAddress() {
        return effectiveBus().equals("virtio");
    }
}
