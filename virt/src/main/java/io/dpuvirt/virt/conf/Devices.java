package io.dpuvirt.virt.conf;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/** The {@code <devices>} of a domain, kind by kind, in the order libvirt writes them. */
public record Devices(Optional<String> emulator, List<DiskConfig> disks, List<ControllerConfig> controllers,
                      List<InterfaceConfig> interfaces, List<CharDeviceConfig> serials,
                      List<CharDeviceConfig> consoles, List<InputConfig> inputs, List<GraphicsConfig> graphics,
                      List<VideoConfig> videos, List<HostdevConfig> hostdevs, Optional<MemballoonConfig> memballoon,
                      List<RngConfig> rngs, Optional<VsockConfig> vsock, Extensions extensions) {
    public static final Devices NONE = new Devices(Optional.empty(), List.of(), List.of(), List.of(), List.of(),
            List.of(), List.of(), List.of(), List.of(), List.of(), Optional.empty(), List.of(), Optional.empty(),
            Extensions.NONE);

    /** Rewrites devices one at a time, keeping each one's type. */
    public interface DeviceMapper {
        <T extends Device<T>> T map(T device);
    }

    public Devices {
        Objects.requireNonNull(emulator, "emulator");
        disks = List.copyOf(disks);
        controllers = List.copyOf(controllers);
        interfaces = List.copyOf(interfaces);
        serials = List.copyOf(serials);
        consoles = List.copyOf(consoles);
        inputs = List.copyOf(inputs);
        graphics = List.copyOf(graphics);
        videos = List.copyOf(videos);
        hostdevs = List.copyOf(hostdevs);
        Objects.requireNonNull(memballoon, "memballoon");
        rngs = List.copyOf(rngs);
        Objects.requireNonNull(vsock, "vsock");
        Objects.requireNonNull(extensions, "extensions");
    }

    /**
     * The addressable devices kind by kind, in the order libvirt writes them; {@link #map} visits them in
     * the same order.
     */
    public List<List<? extends Device<?>>> byKind() {
        return List.of(disks, controllers, interfaces, serials, consoles, inputs, videos, hostdevs,
                memballoon.stream().toList(), rngs, vsock.stream().toList());
    }

    /** Every addressable device, in the order of {@link #byKind()}. */
    public List<Device<?>> all() {
        List<Device<?>> all = new ArrayList<>();
        byKind().forEach(all::addAll);
        return all;
    }

    /** A copy with every device passed through {@code mapper}, in the order of {@link #all()}. */
    public Devices map(DeviceMapper mapper) {
        return new Devices(emulator, mapAll(disks, mapper), mapAll(controllers, mapper), mapAll(interfaces, mapper),
                mapAll(serials, mapper), mapAll(consoles, mapper), mapAll(inputs, mapper), graphics,
                mapAll(videos, mapper), mapAll(hostdevs, mapper), memballoon.map(mapper::map), mapAll(rngs, mapper),
                vsock.map(mapper::map), extensions);
    }

    private static <T extends Device<T>> List<T> mapAll(List<T> devices, DeviceMapper mapper) {
        return devices.stream().map(mapper::map).toList();
    }

    public Devices withInterfaces(List<InterfaceConfig> newInterfaces) {
        return new Devices(emulator, disks, controllers, newInterfaces, serials, consoles, inputs, graphics, videos,
                hostdevs, memballoon, rngs, vsock, extensions);
    }

    public Devices withConsoles(List<CharDeviceConfig> newConsoles) {
        return new Devices(emulator, disks, controllers, interfaces, serials, newConsoles, inputs, graphics, videos,
                hostdevs, memballoon, rngs, vsock, extensions);
    }

    /** The PCI addresses devices hold, host addresses of passed-through devices excluded. */
    public Stream<PciAddress> pciAddresses() {
        return all().stream().flatMap(d -> d.pciAddress().stream());
    }
}
