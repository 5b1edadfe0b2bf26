package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the qemu driver cannot run although libvirt's XML describes it: domains of type {@code test};
 * guests other than x86_64 and aarch64; libvirt networks ({@code <interface type='network'>}: this daemon
 * has no network driver); disks on buses other than virtio, sata and ide; {@code io='native'} without
 * {@code O_DIRECT} (QEMU itself refuses it); graphics and video (guests run headless, their consoles on
 * serial ports); controllers it has no device for.
 */
public final class QemuLimits implements DriverLimits {
    private static final Set<String> ARCHES = Set.of("x86_64", "aarch64");
    private static final Set<String> DISK_BUSES = Set.of("virtio", "sata", "ide");
    private static final Set<String> DIRECT_CACHES = Set.of("none", "directsync");
    /** libvirt's USB controller models and QEMU's devices for them. */
    public static final Map<String, String> USB_MODELS = Map.of("qemu-xhci", "qemu-xhci", "nec-xhci", "nec-usb-xhci",
            "piix3-uhci", "piix3-usb-uhci", "ich9-ehci1", "ich9-usb-ehci1");
    private static final Set<ControllerConfig.Type> CONTROLLERS = Set.of(ControllerConfig.Type.PCI,
            ControllerConfig.Type.VIRTIO_SERIAL, ControllerConfig.Type.USB, ControllerConfig.Type.SATA,
            ControllerConfig.Type.IDE, ControllerConfig.Type.SCSI);

    @Override
    public void check(DomainConfig config, ProblemReport report) {
        if (config.type() == DomainConfig.Type.TEST) {
            report.add(DomainPaths.DOMAIN, "type", "the qemu driver runs domains of type 'kvm' or 'qemu', not 'test'");
        }
        config.os().arch().filter(arch -> !ARCHES.contains(arch)).ifPresent(arch -> report.add(
                DomainPaths.OS.child("type"), "arch", "the qemu driver runs x86_64 and aarch64 guests, not '" + arch + "'"));
        checkDisks(config.devices().disks(), report);
        checkInterfaces(config.devices().interfaces(), report);
        checkControllers(config.devices().controllers(), report);
        List<GraphicsConfig> graphics = config.devices().graphics();
        for (int i = 0; i < graphics.size(); i++) {
            report.add(DeviceAt.DEVICES.child("graphics", i, graphics.size()), "type", "graphics of type '"
                    + graphics.get(i).type() + "' are not supported: guests run headless, with serial consoles");
        }
        List<VideoConfig> videos = config.devices().videos();
        for (int i = 0; i < videos.size(); i++) {
            ElementPath model = DeviceAt.DEVICES.child("video", i, videos.size()).child("model");
            videos.get(i).modelType().filter(type -> !type.equals("none")).ifPresent(type -> report.add(
                    model, "type", "video model '" + type
                            + "' is not supported: guests run headless, with serial consoles"));
        }
    }

    private static void checkDisks(List<DiskConfig> disks, ProblemReport report) {
        for (int i = 0; i < disks.size(); i++) {
            DiskConfig disk = disks.get(i);
            ElementPath path = DeviceAt.DEVICES.child("disk", i, disks.size());
            if (!DISK_BUSES.contains(disk.effectiveBus())) {
                report.add(path.child("target"), "bus", "disk bus '" + disk.effectiveBus()
                        + "' is not supported (virtio, sata or ide)");
            }
            disk.driver().filter(d -> d.io().filter("native"::equals).isPresent()
                    && !d.cache().filter(DIRECT_CACHES::contains).isPresent()).ifPresent(d -> report.add(
                    path.child("driver"), "io", "io 'native' needs cache 'none' or 'directsync', not '"
                            + d.cache().orElse("default") + "' (QEMU opens the image with O_DIRECT for it)"));
        }
    }

    private static void checkInterfaces(List<InterfaceConfig> interfaces, ProblemReport report) {
        for (int i = 0; i < interfaces.size(); i++) {
            if (interfaces.get(i).source() instanceof InterfaceConfig.Network network) {
                report.add(DeviceAt.DEVICES.child("interface", i, interfaces.size()), "type", "network '"
                        + network.network() + "': this daemon has no libvirt networks; use an interface of type "
                        + "'bridge', 'ethernet' or 'vhostuser'");
            }
        }
    }

    private static void checkControllers(List<ControllerConfig> controllers, ProblemReport report) {
        for (int i = 0; i < controllers.size(); i++) {
            ControllerConfig controller = controllers.get(i);
            ElementPath path = DeviceAt.DEVICES.child("controller", i, controllers.size());
            if (!CONTROLLERS.contains(controller.type())) {
                report.add(path, "type", "controllers of type '" + controller.type().xmlValue() + "' are not supported");
            } else if (controller.type() == ControllerConfig.Type.USB) {
                controller.model().filter(m -> !m.equals("none") && !USB_MODELS.containsKey(m)).ifPresent(m -> report.add(
                        path, "model", "USB controller model '" + m + "' is not supported (" + String.join(", ",
                                USB_MODELS.keySet().stream().sorted().toList()) + " or none)"));
            }
        }
    }
}
