package io.dpuvirt.virt.conf;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.random.RandomGenerator;

/**
 * Fills in what libvirt fills in when a domain is defined, as a function from configuration to
 * configuration: a random (version 4) UUID; {@code currentMemory} equal to {@code memory};
 * {@code placement='static'} for vCPUs; on_poweroff destroy, on_reboot restart, on_crash destroy; MAC
 * addresses in QEMU's {@code 52:54:00} range, never one the domain already has; consoles without a
 * target type become serial consoles, port numbered by position; PCI addresses per
 * {@link PciSlotAllocator}. Values already given are never changed.
 */
public final class DomainDefaults {
    private static final byte[] QEMU_OUI = {0x52, 0x54, 0x00};

    private final RandomGenerator random;

    public DomainDefaults() {
        this(new SecureRandom());
    }

    /** With a seeded generator the result is reproducible, for tests. */
    public DomainDefaults(RandomGenerator random) {
        this.random = random;
    }

    public DomainConfig apply(DomainConfig config) {
        DomainConfig result = config;
        if (result.uuid().isEmpty()) {
            result = result.withUuid(randomUuid());
        }
        if (result.currentMemoryKiB().isEmpty()) {
            result = result.withCurrentMemoryKiB(result.memoryKiB());
        }
        if (result.vcpu().placement().isEmpty()) {
            result = result.withVcpu(result.vcpu().withPlacement(VcpuConfig.Placement.STATIC));
        }
        Lifecycle lifecycle = result.lifecycle();
        result = result.withLifecycle(new Lifecycle(
                lifecycle.onPoweroff().or(() -> Optional.of(Lifecycle.Action.DESTROY)),
                lifecycle.onReboot().or(() -> Optional.of(Lifecycle.Action.RESTART)),
                lifecycle.onCrash().or(() -> Optional.of(Lifecycle.Action.DESTROY))));
        Devices devices = result.devices();
        devices = devices.withInterfaces(withMacs(devices.interfaces()));
        devices = devices.withConsoles(withConsoleTargets(devices.consoles()));
        devices = PciSlotAllocator.assign(devices, result.os().machine(), result.name());
        return result.withDevices(devices);
    }

    private UUID randomUuid() {
        long high = (random.nextLong() & ~0xF000L) | 0x4000L;
        long low = (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(high, low);
    }

    private List<InterfaceConfig> withMacs(List<InterfaceConfig> interfaces) {
        Set<MacAddress> used = new HashSet<>();
        interfaces.forEach(nic -> nic.mac().ifPresent(used::add));
        List<InterfaceConfig> result = new ArrayList<>(interfaces.size());
        for (InterfaceConfig nic : interfaces) {
            if (nic.mac().isPresent()) {
                result.add(nic);
                continue;
            }
            MacAddress mac;
            do {
                mac = randomQemuMac();
            } while (!used.add(mac));
            result.add(nic.withMac(mac));
        }
        return result;
    }

    private MacAddress randomQemuMac() {
        byte[] bytes = new byte[6];
        System.arraycopy(QEMU_OUI, 0, bytes, 0, QEMU_OUI.length);
        for (int i = QEMU_OUI.length; i < bytes.length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        return MacAddress.of(bytes);
    }

    private static List<CharDeviceConfig> withConsoleTargets(List<CharDeviceConfig> consoles) {
        List<CharDeviceConfig> result = new ArrayList<>(consoles.size());
        for (int i = 0; i < consoles.size(); i++) {
            CharDeviceConfig console = consoles.get(i);
            result.add(console.withTarget(console.targetType().orElse("serial"), console.targetPort().orElse(i)));
        }
        return result;
    }
}
