package io.dpuvirt.virt.driver.stratovirt;

import io.dpuvirt.virt.conf.ControllerConfig;
import io.dpuvirt.virt.conf.DiskConfig;
import io.dpuvirt.virt.conf.DiskDriver;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.HostdevConfig;
import io.dpuvirt.virt.conf.InterfaceConfig;
import io.dpuvirt.virt.conf.IoTune;
import io.dpuvirt.virt.conf.MemoryBacking;
import io.dpuvirt.virt.conf.OsConfig;
import io.dpuvirt.virt.conf.RngConfig;
import io.dpuvirt.virt.conf.VsockConfig;
import io.dpuvirt.virt.driver.qemu.CharBackend;
import io.dpuvirt.virt.driver.qemu.CommandLineBuilder;
import io.dpuvirt.virt.driver.qemu.GuestChar;
import io.dpuvirt.virt.driver.qemu.LaunchPlan;
import io.dpuvirt.virt.driver.qemu.PciBuses;
import io.dpuvirt.virt.driver.qemu.QemuOpts;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * StratoVirt's command line for a standard VM, option by option as StratoVirt's guide
 * (docs/config_guidebook.md of openeuler-mirror/stratovirt) writes them; the section of each is cited where
 * it is built. libvirt's XML (seed 004) maps onto it as openEuler's libvirt driver does: {@code pty}
 * consoles become sockets the daemon connects to, as in the qemu driver.
 */
public final class StratovirtCommandLine implements CommandLineBuilder {
    /** hugetlbfs' usual mount point, for {@code -mem-path} (1.4.1 hugepages). */
    static final String HUGEPAGES = "/dev/hugepages";
    private static final PciBuses BUSES = PciBuses.stratovirt();

    @Override
    public List<String> build(LaunchPlan plan) {
        List<String> args = new ArrayList<>();
        DomainConfig config = plan.config();
        args.add(plan.emulator());
        add(args, "-name", config.name());
        config.uuid().ifPresent(uuid -> add(args, "-uuid", uuid)); // accepted for libvirt (machine_manager/src/cmdline.rs)
        machine(args, plan);
        add(args, "-smp", Integer.toString(config.vcpu().count())); // 1.2.1: no topology (StratovirtLimits)
        add(args, "-m", config.memoryKiB() / 1024 + "M"); // 1.3.1: whole MiB (StratovirtLimits)
        if (config.memoryBacking().filter(MemoryBacking::hugepages).isPresent()) {
            add(args, "-mem-path", HUGEPAGES); // 1.4.1
        }
        boot(args, config.os());
        for (int i = 1; i <= config.iothreads().orElse(0); i++) {
            add(args, "-object", QemuOpts.of("iothread").set("id", "iothread" + i)); // 2.1
        }
        config.devices().controllers().forEach(controller -> controller(args, controller));
        List<DiskConfig> disks = config.devices().disks();
        for (int i = 0; i < disks.size(); i++) {
            disk(args, disks.get(i), i);
        }
        List<InterfaceConfig> interfaces = config.devices().interfaces();
        for (int i = 0; i < interfaces.size(); i++) {
            network(args, interfaces.get(i), i, plan.id());
        }
        chars(args, plan);
        config.devices().memballoon().filter(balloon -> !balloon.model().equals("none")).ifPresent(balloon ->
                add(args, "-device", QemuOpts.of("virtio-balloon-pci").set("id", balloon.alias().orElse("balloon0"))
                        .append(BUSES.placement(balloon.address()))
                        .set("deflate-on-oom", balloon.autodeflate().map(Object::toString)))); // 2.7
        List<RngConfig> rngs = config.devices().rngs();
        for (int i = 0; i < rngs.size(); i++) {
            rng(args, rngs.get(i), i);
        }
        config.devices().vsock().ifPresent(vsock -> vsock(args, vsock, plan.id()));
        List<HostdevConfig> hostdevs = config.devices().hostdevs();
        for (int i = 0; i < hostdevs.size(); i++) {
            HostdevConfig hostdev = hostdevs.get(i);
            add(args, "-device", QemuOpts.of("vfio-pci").set("id", hostdev.alias().orElse("hostdev" + i))
                    .set("host", hostdev.source().toString()).append(BUSES.placement(hostdev.address()))); // 2.11
        }
        add(args, "-qmp", QemuOpts.of("unix:" + plan.files().monitor()).word("server").word("nowait")); // qmp.md
        add(args, "-pidfile", plan.files().pidFile()); // 1.10
        args.add("-freeze"); // the vCPUs wait for QMP cont (cmdline.rs: "freeze CPU at startup")
        return List.copyOf(args);
    }

    private static void add(List<String> args, String option, Object value) {
        args.add(option);
        args.add(value.toString());
    }

    /** 1.1: q35 or virt; vhost-user interfaces need the guest's memory shared (2.3). */
    private static void machine(List<String> args, LaunchPlan plan) {
        String type = plan.config().os().machine().orElse(plan.arch().equals("aarch64") ? "virt" : "q35");
        boolean vhostUser = plan.config().devices().interfaces().stream()
                .anyMatch(nic -> nic.source() instanceof InterfaceConfig.VhostUser);
        add(args, "-machine", QemuOpts.of(type).on("mem-share", vhostUser));
    }

    /** 1.6 kernel and its parameters, 1.7 initrd, 2.10 pflash (code read-only on unit 0, variables on unit 1). */
    private static void boot(List<String> args, OsConfig os) {
        os.kernel().ifPresent(kernel -> add(args, "-kernel", kernel));
        os.cmdline().ifPresent(cmdline -> add(args, "-append", cmdline));
        os.initrd().ifPresent(initrd -> add(args, "-initrd", initrd));
        os.loader().ifPresent(loader -> add(args, "-drive", QemuOpts.of("file", loader.path()).set("if", "pflash")
                .set("unit", 0).set("readonly", loader.readonly().orElse(false))));
        os.nvram().ifPresent(nvram -> add(args, "-drive", QemuOpts.of("file", nvram.path()).set("if", "pflash").set("unit", 1)));
    }

    /** 2.9: root ports name their secondary bus {@code pcie.N}; the root complex is the machine's own. */
    private static void controller(List<String> args, ControllerConfig controller) {
        int index = controller.index().orElse(0);
        if (controller.type() == ControllerConfig.Type.PCI
                && controller.model().filter("pcie-root-port"::equals).isPresent()) {
            add(args, "-device", QemuOpts.of("pcie-root-port").set("id", BUSES.name(index)).set("port", "0x%x".formatted(index))
                    .set("chassis", index).append(BUSES.placement(controller.address())));
        } else if (controller.type() == ControllerConfig.Type.VIRTIO_SERIAL) {
            add(args, "-device", QemuOpts.of("virtio-serial-pci").set("id", controller.alias().orElse("virtio-serial" + index))
                    .append(BUSES.placement(controller.address()))); // 2.4
        }
    }

    /**
     * 2.2: a drive (O_DIRECT unless the cache mode says otherwise; aio native, io_uring or off; the iops
     * limit) and a virtio-blk-pci device.
     */
    private static void disk(List<String> args, DiskConfig disk, int index) {
        String drive = "drive-disk" + index;
        Optional<DiskDriver> driver = disk.driver();
        QemuOpts opts = QemuOpts.of("id", drive);
        disk.source().ifPresent(source -> opts.set("file", source));
        opts.set("format", driver.flatMap(DiskDriver::format));
        opts.on("readonly", disk.readonly());
        driver.flatMap(DiskDriver::cache).ifPresent(cache ->
                opts.set("direct", cache.equals("none") || cache.equals("directsync") ? "on" : "off"));
        driver.flatMap(DiskDriver::io).ifPresent(io -> opts.set("aio", io.equals("threads") ? "off" : io));
        disk.iotune().flatMap(tune -> tune.limit(IoTune.Limit.TOTAL_IOPS_SEC))
                .ifPresent(iops -> opts.set("throttling.iops-total", iops));
        add(args, "-drive", opts);
        add(args, "-device", QemuOpts.of("virtio-blk-pci").set("id", disk.alias().orElse("disk" + index)).set("drive", drive)
                .append(BUSES.placement(disk.address()))
                .set("iothread", driver.flatMap(DiskDriver::iothread).map(n -> "iothread" + n))
                .set("serial", disk.serial()).set("bootindex", disk.bootOrder()));
    }

    /**
     * 2.3: a tap (vhost-net unless {@code <driver name='qemu'>}, seed 004) or a vhost-user socket, and a
     * virtio-net-pci device. The tap is {@code <target dev>}, else {@code svtap<id>n<index>}; StratoVirt opens it
     * by name (creating it), and adding it to {@code <source bridge>} is the host's network setup.
     */
    private static void network(List<String> args, InterfaceConfig nic, int index, int id) {
        String netdev = "hostnet" + index;
        QemuOpts backend = switch (nic.source()) {
            case InterfaceConfig.VhostUser vhostUser -> {
                String chardev = "charnet" + index;
                QemuOpts socket = QemuOpts.of("socket").set("id", chardev).set("path", vhostUser.path());
                if (vhostUser.mode() == InterfaceConfig.VhostUserMode.SERVER) {
                    socket.word("server").word("nowait");
                }
                add(args, "-chardev", socket);
                yield QemuOpts.of("vhost-user").set("id", netdev).set("chardev", chardev);
            }
            default -> QemuOpts.of("tap").set("id", netdev).set("ifname", nic.targetDev().orElse("svtap" + id + "n" + index))
                    .on("vhost", !nic.driverName().filter("qemu"::equals).isPresent());
        };
        int queues = nic.driverQueues().orElse(1);
        if (queues > 1) {
            backend.set("queues", queues);
        }
        add(args, "-netdev", backend);
        add(args, "-device", QemuOpts.of("virtio-net-pci").set("id", nic.alias().orElse("net" + index)).set("netdev", netdev)
                .append(BUSES.placement(nic.address())).set("mac", nic.mac()).on("mq", queues > 1));
    }

    /** 2.12 chardev; 2.6 serial ({@code -serial chardev:ID}); 2.4 virtconsole port 0 on the virtio-serial bus. */
    private static void chars(List<String> args, LaunchPlan plan) {
        for (GuestChar guestChar : plan.chars().chars()) {
            if (!guestChar.ownsChardev()) {
                continue;
            }
            add(args, "-chardev", chardev(guestChar));
            if (guestChar.frontend() == GuestChar.Frontend.VIRTIO_CONSOLE) {
                add(args, "-device", QemuOpts.of("virtconsole").set("id", guestChar.alias()).set("chardev", guestChar.chardevId())
                        .set("nr", guestChar.port()));
            } else {
                add(args, "-serial", "chardev:" + guestChar.chardevId());
            }
        }
    }

    private static QemuOpts chardev(GuestChar guestChar) {
        return switch (guestChar.backend()) {
            case CharBackend.Listen listen -> QemuOpts.of("socket").set("id", guestChar.chardevId())
                    .set("path", listen.socket()).word("server").word("nowait");
            case CharBackend.Connect connect -> QemuOpts.of("socket").set("id", guestChar.chardevId())
                    .set("path", connect.socket());
            case CharBackend.File file -> QemuOpts.of("file").set("id", guestChar.chardevId()).set("path", file.path());
        };
    }

    /** 2.8: the rate limit is max-bytes a period (StratovirtLimits keeps the period at 1000 ms). */
    private static void rng(List<String> args, RngConfig rng, int index) {
        String object = "objrng" + index;
        add(args, "-object", QemuOpts.of("rng-random").set("id", object).set("filename", rng.backendPath().orElse("/dev/random")));
        QemuOpts device = QemuOpts.of("virtio-rng-pci").set("id", rng.alias().orElse("rng" + index)).set("rng", object);
        rng.rate().ifPresent(rate -> device.set("max-bytes", rate.bytes()).set("period", rate.periodMillis().orElse(1000L)));
        add(args, "-device", device.append(BUSES.placement(rng.address())));
    }

    /** 2.5: one vhost-vsock-pci; a cid chosen by the driver is 2 + the domain's id, as in the qemu driver. */
    private static void vsock(List<String> args, VsockConfig vsock, int id) {
        long cid = vsock.cid().filter(c -> vsock.cidAuto().map(auto -> !auto).orElse(true))
                .orElse(VsockConfig.FIRST_GUEST_CID - 1 + id);
        add(args, "-device", QemuOpts.of("vhost-vsock-pci").set("id", vsock.alias().orElse("vsock0")).set("guest-cid", cid)
                .append(BUSES.placement(vsock.address())));
    }
}
