package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.ControllerConfig;
import io.dpuvirt.virt.conf.DiskConfig;
import io.dpuvirt.virt.conf.DiskDriver;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.HostdevConfig;
import io.dpuvirt.virt.conf.InputConfig;
import io.dpuvirt.virt.conf.InterfaceConfig;
import io.dpuvirt.virt.conf.IoTune;
import io.dpuvirt.virt.conf.MemballoonConfig;
import io.dpuvirt.virt.conf.QemuLimits;
import io.dpuvirt.virt.conf.RngConfig;
import io.dpuvirt.virt.conf.VsockConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code -device} lines (and the backends they need) of a domain's devices, on the PCI addresses its
 * definition holds. Device ids follow libvirt's where a client could see them ({@code virtio-serial0},
 * {@code pci.N}, {@code usb}); the others are numbered by position.
 */
final class QemuDevices {
    private static final Map<IoTune.Limit, String> THROTTLING = Map.of(
            IoTune.Limit.TOTAL_BYTES_SEC, "throttling.bps-total", IoTune.Limit.READ_BYTES_SEC, "throttling.bps-read",
            IoTune.Limit.WRITE_BYTES_SEC, "throttling.bps-write", IoTune.Limit.TOTAL_IOPS_SEC, "throttling.iops-total",
            IoTune.Limit.READ_IOPS_SEC, "throttling.iops-read", IoTune.Limit.WRITE_IOPS_SEC, "throttling.iops-write");

    private final LaunchPlan plan;
    private final DomainConfig config;
    private final PciBuses buses;
    private final List<String> args = new ArrayList<>();

    QemuDevices(LaunchPlan plan) {
        this.plan = plan;
        this.config = plan.config();
        this.buses = PciBuses.qemu(config.os().machine().orElse(QemuCommandLine.DEFAULT_X86_MACHINE));
    }

    List<String> arguments() {
        // a bus must exist before the devices on it: PCI controllers first, by index
        config.devices().controllers().stream()
                .sorted(java.util.Comparator.comparing((ControllerConfig c) -> c.type() != ControllerConfig.Type.PCI)
                        .thenComparing(c -> c.index().orElse(0)))
                .forEach(this::controller);
        List<DiskConfig> disks = config.devices().disks();
        int emulatedDisks = 0;
        for (int i = 0; i < disks.size(); i++) {
            boolean virtio = disks.get(i).effectiveBus().equals("virtio");
            disk(disks.get(i), i, virtio ? -1 : emulatedDisks++);
        }
        List<InterfaceConfig> interfaces = config.devices().interfaces();
        for (int i = 0; i < interfaces.size(); i++) {
            new QemuNetwork(interfaces.get(i), i, buses).addTo(args);
        }
        chars();
        List<InputConfig> inputs = config.devices().inputs();
        for (int i = 0; i < inputs.size(); i++) {
            input(inputs.get(i), i);
        }
        List<HostdevConfig> hostdevs = config.devices().hostdevs();
        for (int i = 0; i < hostdevs.size(); i++) {
            hostdev(hostdevs.get(i), i);
        }
        config.devices().memballoon().ifPresent(this::balloon);
        List<RngConfig> rngs = config.devices().rngs();
        for (int i = 0; i < rngs.size(); i++) {
            rng(rngs.get(i), i);
        }
        config.devices().vsock().ifPresent(this::vsock);
        return args;
    }

    private void device(QemuOpts opts) {
        QemuCommandLine.add(args, "-device", opts);
    }

    private void controller(ControllerConfig controller) {
        int index = controller.index().orElse(0);
        String placement = buses.placement(controller.address());
        switch (controller.type()) {
            case PCI -> {
                switch (controller.model().orElse("pci-root")) {
                    case "pcie-root-port" -> device(QemuOpts.of("pcie-root-port").set("port", index).set("chassis", index)
                            .set("id", buses.name(index)).append(placement));
                    case "pci-bridge" -> device(QemuOpts.of("pci-bridge").set("chassis_nr", index)
                            .set("id", buses.name(index)).append(placement));
                    default -> { } // the root complex is the machine's own
                }
            }
            case VIRTIO_SERIAL -> device(QemuOpts.of("virtio-serial-pci").set("id", "virtio-serial" + index).append(placement));
            case USB -> controller.model().or(() -> Optional.of("qemu-xhci")).filter(m -> !m.equals("none"))
                    .ifPresent(model -> device(QemuOpts.of(QemuLimits.USB_MODELS.get(model))
                            .set("id", index == 0 ? "usb" : "usb" + index).append(placement)));
            case SCSI -> device(QemuOpts.of("virtio-scsi-pci").set("id", "scsi" + index).append(placement));
            case SATA -> {
                if (!(index == 0 && buses.root().equals("pcie.0"))) { // q35's own AHCI is sata0
                    device(QemuOpts.of("ahci").set("id", "sata" + index).append(placement));
                }
            }
            default -> { } // ide: the i440fx's own
        }
    }

    /**
     * A drive (the image: format, cache, aio, limits) and the device showing it. {@code emulatedIndex}
     * places sata and ide disks on the machine's own ports one after the other: q35's AHCI has one drive a
     * port ({@code ide.N}), the i440fx's IDE two a bus.
     */
    private void disk(DiskConfig disk, int index, int emulatedIndex) {
        String drive = "drive-disk" + index;
        Optional<DiskDriver> driver = disk.driver();
        QemuOpts opts = QemuOpts.of("if", "none").set("id", drive);
        disk.source().ifPresent(source -> opts.set("file", source));
        opts.set("format", driver.flatMap(DiskDriver::format).orElse("raw"));
        opts.set("cache", driver.flatMap(DiskDriver::cache)).set("aio", driver.flatMap(DiskDriver::io));
        opts.on("readonly", disk.readonly() || disk.device() == DiskConfig.DiskDevice.CDROM);
        disk.iotune().ifPresent(tune -> {
            for (IoTune.Limit limit : IoTune.Limit.values()) {
                opts.set(THROTTLING.get(limit), tune.limit(limit));
            }
        });
        QemuCommandLine.add(args, "-drive", opts);

        QemuOpts device;
        if (emulatedIndex < 0) {
            device = QemuOpts.of("virtio-blk-pci").append(buses.placement(disk.address()))
                    .set("iothread", driver.flatMap(DiskDriver::iothread).map(n -> "iothread" + n));
        } else {
            boolean ahci = buses.root().equals("pcie.0");
            device = QemuOpts.of(disk.device() == DiskConfig.DiskDevice.CDROM ? "ide-cd" : "ide-hd")
                    .set("bus", "ide." + (ahci ? emulatedIndex : emulatedIndex / 2));
            if (!ahci) {
                device.set("unit", emulatedIndex % 2);
            }
        }
        device(device.set("drive", drive).set("id", disk.alias().orElse("disk" + index))
                .set("bootindex", disk.bootOrder()).set("serial", disk.serial()));
    }

    private void chars() {
        boolean virtioConsole = plan.chars().chars().stream()
                .anyMatch(c -> c.frontend() == GuestChar.Frontend.VIRTIO_CONSOLE);
        boolean virtioSerial = config.devices().controllers().stream()
                .anyMatch(c -> c.type() == ControllerConfig.Type.VIRTIO_SERIAL);
        if (virtioConsole && !virtioSerial) {
            device(QemuOpts.of("virtio-serial-pci").set("id", "virtio-serial0")); // libvirt adds one too
        }
        for (GuestChar guestChar : plan.chars().chars()) {
            if (!guestChar.ownsChardev()) {
                continue;
            }
            QemuCommandLine.add(args, "-chardev", chardev(guestChar));
            if (guestChar.frontend() == GuestChar.Frontend.VIRTIO_CONSOLE) {
                device(QemuOpts.of("virtconsole").set("chardev", guestChar.chardevId()).set("id", guestChar.alias()));
            } else if (plan.arch().equals("aarch64")) {
                QemuCommandLine.add(args, "-serial", "chardev:" + guestChar.chardevId()); // the virt machine's PL011
            } else {
                device(QemuOpts.of("isa-serial").set("chardev", guestChar.chardevId()).set("id", "serial" + guestChar.port())
                        .set("index", guestChar.port()));
            }
        }
    }

    static QemuOpts chardev(GuestChar guestChar) {
        return switch (guestChar.backend()) {
            case CharBackend.Listen listen -> QemuOpts.of("socket").set("id", guestChar.chardevId())
                    .set("path", listen.socket()).set("server", "on").set("wait", "off");
            case CharBackend.Connect connect -> QemuOpts.of("socket").set("id", guestChar.chardevId())
                    .set("path", connect.socket());
            case CharBackend.File file -> QemuOpts.of("file").set("id", guestChar.chardevId()).set("path", file.path())
                    .set("append", "on");
        };
    }

    /** PS/2 devices are the machine's own; USB ones go on the first USB controller, virtio ones on PCI. */
    private void input(InputConfig input, int index) {
        String bus = input.bus().orElse("ps2");
        String id = input.alias().orElse("input" + index);
        switch (bus) {
            case "usb" -> device(QemuOpts.of("usb-" + (input.type().equals("keyboard") ? "kbd" : input.type()))
                    .set("id", id).set("bus", "usb.0"));
            case "virtio" -> device(QemuOpts.of("virtio-" + input.type() + "-pci").set("id", id)
                    .append(buses.placement(input.address())));
            default -> { }
        }
    }

    private void hostdev(HostdevConfig hostdev, int index) {
        device(QemuOpts.of("vfio-pci").set("host", hostdev.source().toString())
                .set("id", hostdev.alias().orElse("hostdev" + index)).append(buses.placement(hostdev.address()))
                .set("bootindex", hostdev.bootOrder()));
    }

    private void balloon(MemballoonConfig balloon) {
        if (!balloon.model().equals("none")) {
            device(QemuOpts.of("virtio-balloon-pci").set("id", balloon.alias().orElse("balloon0"))
                    .append(buses.placement(balloon.address()))
                    .set("deflate-on-oom", balloon.autodeflate().map(on -> on ? "on" : "off")));
        }
    }

    private void rng(RngConfig rng, int index) {
        String object = "objrng" + index;
        QemuCommandLine.add(args, "-object", QemuOpts.of("rng-random").set("id", object)
                .set("filename", rng.backendPath().orElse("/dev/urandom")));
        QemuOpts device = QemuOpts.of("virtio-rng-pci").set("rng", object).set("id", rng.alias().orElse("rng" + index));
        rng.rate().ifPresent(rate -> device.set("max-bytes", rate.bytes()).set("period", rate.periodMillis().orElse(1000L)));
        device(device.append(buses.placement(rng.address())));
    }

    /** A cid chosen by the driver ({@code auto}) is 2 + the domain's id: unique among the daemon's running guests. */
    private void vsock(VsockConfig vsock) {
        long cid = vsock.cid().filter(c -> vsock.cidAuto().map(auto -> !auto).orElse(true))
                .orElse(VsockConfig.FIRST_GUEST_CID - 1 + plan.id());
        device(QemuOpts.of("vhost-vsock-pci").set("id", vsock.alias().orElse("vsock0")).set("guest-cid", cid)
                .append(buses.placement(vsock.address())));
    }
}
