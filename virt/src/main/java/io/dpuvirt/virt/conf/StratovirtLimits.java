package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What StratoVirt runs, per openEuler's guide to its libvirt driver (seed 004) and StratoVirt's own guide
 * (docs/config_guidebook.md: memory in whole MiB from 128 MiB to 512 GiB, pflash firmware for q35): kvm domains; machine q35
 * on x86_64 and virt on aarch64; ACPI always; GIC version 3; no CPU topology; disks of type file, raw,
 * on virtio; virtio models for network, balloon, rng and vsock; rng period 1000 ms (it cannot be
 * changed); pflash firmware; a single console, of target type virtio, on a virtio-serial controller.
 */
public final class StratovirtLimits implements DriverLimits {
    /** Supported machine for each architecture. */
    private static final Map<String, String> MACHINES = Map.of("x86_64", "q35", "aarch64", "virt");
    private static final long RNG_PERIOD_MILLIS = 1000;
    /** StratoVirt takes memory in whole MiB, from 128 MiB to 512 GiB (its config_guidebook.md, 1.3.1). */
    private static final long MIN_MEMORY_KIB = 128L * 1024;
    private static final long MAX_MEMORY_KIB = 512L * 1024 * 1024;
    private static final String VIRTIO = "virtio";

    @Override
    public void check(DomainConfig config, ProblemReport report) {
        if (config.type() != DomainConfig.Type.KVM) {
            report.add(DomainPaths.DOMAIN, "type", "StratoVirt runs only domains of type 'kvm'");
        }
        checkMachine(config.os(), report);
        checkMemory(config.memoryKiB(), report);
        checkFeatures(config, report);
        config.cpu().flatMap(CpuConfig::topology).ifPresent(t ->
                report.add(DomainPaths.CPU.child("topology"), "StratoVirt does not support a CPU topology"));
        checkDisks(config.devices().disks(), report);
        checkModels(config.devices(), report);
        checkConsoles(config.devices(), report);
    }

    private static void checkMachine(OsConfig os, ProblemReport report) {
        ElementPath type = DomainPaths.OS.child("type");
        os.arch().ifPresent(arch -> {
            String machine = MACHINES.get(arch);
            if (machine == null) {
                report.add(type, "arch", "StratoVirt supports only x86_64 and aarch64, not '" + arch + "'");
            } else if (!os.machine().equals(Optional.of(machine))) {
                report.add(type, "machine", "StratoVirt needs machine '" + machine + "' on " + arch + ", not '"
                        + os.machine().orElse("") + "'");
            }
        });
        os.loader().flatMap(OsConfig.Loader::type).filter(t -> !t.equals("pflash")).ifPresent(t -> report.add(
                DomainPaths.OS.child("loader"), "type", "StratoVirt loads firmware only as 'pflash', not '" + t + "'"));
        // a q35 standard VM boots through its UEFI firmware even with a kernel given (config_guidebook.md, 2.10)
        if (os.arch().orElse("x86_64").equals("x86_64") && os.loader().isEmpty()) {
            report.add(DomainPaths.OS, "StratoVirt's x86_64 machine q35 needs pflash firmware: <loader type='pflash'>");
        }
    }

    private static void checkMemory(long kib, ProblemReport report) {
        if (kib % 1024 != 0) {
            report.add(DomainPaths.MEMORY, "StratoVirt takes memory in whole MiB, not " + kib + " KiB");
        } else if (kib < MIN_MEMORY_KIB || kib > MAX_MEMORY_KIB) {
            report.add(DomainPaths.MEMORY, "StratoVirt supports 128 MiB to 512 GiB of memory, not " + kib / 1024 + " MiB");
        }
    }

    private static void checkFeatures(DomainConfig config, ProblemReport report) {
        if (config.features().filter(Features::acpi).isEmpty()) {
            report.add(config.features().isPresent() ? DomainPaths.FEATURES : DomainPaths.DOMAIN,
                    "StratoVirt needs the 'acpi' feature");
        }
        config.features().flatMap(Features::gicVersion).filter(v -> !v.equals("3")).ifPresent(v -> report.add(
                DomainPaths.FEATURES.child("gic"), "version", "StratoVirt supports only GIC version 3, not '" + v + "'"));
    }

    private static void checkDisks(List<DiskConfig> disks, ProblemReport report) {
        for (int i = 0; i < disks.size(); i++) {
            DiskConfig disk = disks.get(i);
            ElementPath path = DeviceAt.DEVICES.child("disk", i, disks.size());
            if (disk.type() != DiskConfig.Type.FILE) {
                report.add(path, "type", "StratoVirt supports only disks of type 'file'");
            }
            if (disk.device() != DiskConfig.DiskDevice.DISK) {
                report.add(path, "device", "StratoVirt supports only device 'disk'");
            }
            disk.driver().flatMap(DiskDriver::format).filter(f -> !f.equals("raw")).ifPresent(f -> report.add(
                    path.child("driver"), "type", "StratoVirt supports only raw disks, not '" + f + "'"));
            if (!disk.effectiveBus().equals(VIRTIO)) {
                report.add(path.child("target"), "bus", "StratoVirt supports only the virtio bus, not '"
                        + disk.effectiveBus() + "'");
            }
        }
    }

    private static void checkModels(Devices devices, ProblemReport report) {
        List<InterfaceConfig> interfaces = devices.interfaces();
        for (int i = 0; i < interfaces.size(); i++) {
            ElementPath path = DeviceAt.DEVICES.child("interface", i, interfaces.size());
            requireVirtio(interfaces.get(i).model(), path.child("model"), "type", report);
        }
        devices.memballoon().ifPresent(balloon ->
                requireVirtio(Optional.of(balloon.model()), DeviceAt.DEVICES.child("memballoon"), "model", report));
        devices.vsock().ifPresent(vsock -> requireVirtio(vsock.model(), DeviceAt.DEVICES.child("vsock"), "model", report));
        List<RngConfig> rngs = devices.rngs();
        for (int i = 0; i < rngs.size(); i++) {
            RngConfig rng = rngs.get(i);
            ElementPath path = DeviceAt.DEVICES.child("rng", i, rngs.size());
            requireVirtio(Optional.of(rng.model()), path, "model", report);
            rng.rate().flatMap(RngConfig.Rate::periodMillis).filter(p -> p != RNG_PERIOD_MILLIS).ifPresent(p ->
                    report.add(path.child("rate"), "period", "period " + p
                            + " is not supported: StratoVirt uses a fixed period of 1000 ms"));
        }
    }

    private static void requireVirtio(Optional<String> model, ElementPath path, String attribute,
                                      ProblemReport report) {
        model.filter(m -> !m.equals(VIRTIO)).ifPresent(m -> report.add(path, attribute,
                "StratoVirt supports only model 'virtio', not '" + m + "'"));
    }

    private static void checkConsoles(Devices devices, ProblemReport report) {
        List<CharDeviceConfig> consoles = devices.consoles();
        if (consoles.size() > 1) {
            report.add(DeviceAt.DEVICES.child("console", 1, consoles.size()),
                    "StratoVirt supports a single console, this domain has " + consoles.size());
        }
        if (consoles.isEmpty()) {
            return;
        }
        ElementPath first = DeviceAt.DEVICES.child("console", 0, consoles.size());
        consoles.getFirst().targetType().filter(t -> !t.equals(VIRTIO)).ifPresent(t -> report.add(
                first.child("target"), "type", "StratoVirt consoles need target type 'virtio', not '" + t + "'"));
        boolean virtioSerial = devices.controllers().stream()
                .anyMatch(c -> c.type() == ControllerConfig.Type.VIRTIO_SERIAL);
        if (!virtioSerial) {
            report.add(first, "a StratoVirt console needs a virtio-serial controller");
        }
    }
}
