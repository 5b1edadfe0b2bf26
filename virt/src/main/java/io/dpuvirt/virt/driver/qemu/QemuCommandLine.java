package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.ClockConfig;
import io.dpuvirt.virt.conf.CpuConfig;
import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.Features;
import io.dpuvirt.virt.conf.InterfaceConfig;
import io.dpuvirt.virt.conf.Lifecycle;
import io.dpuvirt.virt.conf.MemoryBacking;
import io.dpuvirt.virt.conf.OsConfig;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * QEMU's command line for a domain, close to libvirt's: the guest starts stopped ({@code -S}) with no
 * default devices and no user configuration, its QMP monitor listening on a socket in its private
 * directory, no display, messages with time stamps; the machine ({@code q35} when the XML names none,
 * so that the PCI slots libvirt's allocator hands out are free) with its accelerator; memory, vCPUs and
 * topology, the CPU model, firmware or a kernel, then the devices ({@link QemuDevices}).
 */
public final class QemuCommandLine implements CommandLineBuilder {
    /** Where a guest backed by huge pages takes them: hugetlbfs' usual mount point. */
    static final String HUGEPAGES = "/dev/hugepages";
    static final String DEFAULT_X86_MACHINE = "q35";

    @Override
    public List<String> build(LaunchPlan plan) {
        DomainConfig config = plan.config();
        List<String> args = new ArrayList<>();
        args.add(plan.emulator());
        add(args, "-name", QemuOpts.of("guest", config.name()).set("debug-threads", "on"));
        args.add("-S");
        args.add("-no-user-config");
        args.add("-nodefaults");
        config.uuid().ifPresent(uuid -> add(args, "-uuid", uuid));
        machine(args, plan);
        cpu(args, plan);
        add(args, "-m", QemuOpts.of("size", config.memoryKiB() + "k"));
        smp(args, config);
        for (int i = 1; i <= config.iothreads().orElse(0); i++) {
            add(args, "-object", QemuOpts.of("iothread").set("id", "iothread" + i));
        }
        add(args, "-chardev", QemuOpts.of("socket").set("id", "charmonitor").set("path", plan.files().monitor())
                .set("server", "on").set("wait", "off"));
        add(args, "-mon", QemuOpts.of("chardev", "charmonitor").set("id", "monitor").set("mode", "control"));
        add(args, "-pidfile", plan.files().pidFile());
        add(args, "-display", "none");
        add(args, "-msg", "timestamp=on");
        config.clock().flatMap(ClockConfig::offset).ifPresent(offset -> add(args, "-rtc", QemuOpts.of("base", offset)));
        if (config.lifecycle().onReboot().filter(Lifecycle.Action.DESTROY::equals).isPresent()) {
            args.add("-no-reboot");
        }
        boot(args, config.os());
        args.addAll(new QemuDevices(plan).arguments());
        return List.copyOf(args);
    }

    static void add(List<String> args, String option, Object value) {
        args.add(option);
        args.add(value.toString());
    }

    private static void machine(List<String> args, LaunchPlan plan) {
        DomainConfig config = plan.config();
        String type = config.os().machine().orElse(plan.arch().equals("aarch64") ? "virt" : DEFAULT_X86_MACHINE);
        QemuOpts machine = QemuOpts.of(type).set("usb", "off").set("dump-guest-core", "off");
        config.features().flatMap(Features::gicVersion).ifPresent(version -> machine.set("gic-version", version));
        if (needsMemoryBackend(config)) {
            machine.set("memory-backend", "pc.ram");
            add(args, "-object", memoryBackend(config));
        }
        add(args, "-machine", machine);
        add(args, "-accel", plan.accelerator().option());
    }

    /**
     * Huge pages need a file-backed memory object; vhost-user interfaces need guest memory the switch can
     * map, so shared (a memfd unless huge pages back it).
     */
    private static boolean needsMemoryBackend(DomainConfig config) {
        return hugepages(config) || sharedMemory(config);
    }

    private static boolean hugepages(DomainConfig config) {
        return config.memoryBacking().filter(MemoryBacking::hugepages).isPresent();
    }

    private static boolean sharedMemory(DomainConfig config) {
        return config.devices().interfaces().stream().anyMatch(nic -> nic.source() instanceof InterfaceConfig.VhostUser);
    }

    private static QemuOpts memoryBackend(DomainConfig config) {
        QemuOpts backend = hugepages(config)
                ? QemuOpts.of("memory-backend-file").set("id", "pc.ram").set("mem-path", HUGEPAGES).set("prealloc", "on")
                : QemuOpts.of("memory-backend-memfd").set("id", "pc.ram");
        backend.set("size", config.memoryKiB() + "k");
        return sharedMemory(config) ? backend.set("share", "on") : backend;
    }

    /**
     * {@code host-passthrough} and {@code host-model} show the host's CPU: {@code host} under KVM, and under
     * TCG, which cannot pass the host's CPU through, QEMU's {@code max} (everything TCG emulates).
     */
    private static void cpu(List<String> args, LaunchPlan plan) {
        Optional<CpuConfig> cpu = plan.config().cpu();
        Optional<CpuConfig.Mode> mode = cpu.flatMap(CpuConfig::mode);
        String hostCpu = plan.accelerator() == Accelerator.KVM ? "host" : "max";
        Optional<String> model = switch (mode.orElse(CpuConfig.Mode.CUSTOM)) {
            case HOST_PASSTHROUGH, HOST_MODEL -> Optional.of(hostCpu);
            case MAXIMUM -> Optional.of("max");
            case CUSTOM -> cpu.flatMap(CpuConfig::model);
        };
        model.ifPresent(m -> add(args, "-cpu", QemuOpts.escape(m)));
    }

    private static void smp(List<String> args, DomainConfig config) {
        int count = config.vcpu().count();
        QemuOpts smp = QemuOpts.of(Integer.toString(count));
        config.cpu().flatMap(CpuConfig::topology).ifPresentOrElse(
                t -> smp.set("sockets", t.sockets()).set("dies", t.dies()).set("cores", t.cores()).set("threads", t.threads()),
                () -> smp.set("sockets", count).set("cores", 1).set("threads", 1));
        add(args, "-smp", smp);
    }

    /** Firmware (pflash: code read-only, then the guest's variables; rom: -bios), a kernel, the boot order. */
    private static void boot(List<String> args, OsConfig os) {
        os.loader().ifPresent(loader -> {
            if (loader.type().filter("pflash"::equals).isPresent()) {
                add(args, "-drive", QemuOpts.of("if", "pflash").set("format", "raw").set("unit", 0)
                        .set("file", loader.path()).on("readonly", loader.readonly().orElse(false)));
                os.nvram().ifPresent(nvram -> add(args, "-drive", QemuOpts.of("if", "pflash").set("format", "raw")
                        .set("unit", 1).set("file", nvram.path())));
            } else {
                add(args, "-bios", loader.path());
            }
        });
        os.kernel().ifPresent(kernel -> add(args, "-kernel", kernel));
        os.initrd().ifPresent(initrd -> add(args, "-initrd", initrd));
        os.cmdline().ifPresent(cmdline -> add(args, "-append", cmdline));
        if (!os.bootDevices().isEmpty()) {
            add(args, "-boot", "order=" + os.bootDevices().stream().map(QemuCommandLine::bootLetter)
                    .collect(Collectors.joining()) + ",strict=on");
        }
    }

    private static String bootLetter(OsConfig.BootDevice device) {
        return switch (device) {
            case FD -> "a";
            case HD -> "c";
            case CDROM -> "d";
            case NETWORK -> "n";
        };
    }
}
