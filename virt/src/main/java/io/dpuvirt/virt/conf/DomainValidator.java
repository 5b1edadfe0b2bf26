package io.dpuvirt.virt.conf;

import io.dpuvirt.virt.conf.xml.ElementPath;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Rules a domain must follow whatever runs it (names, sizes, CPU pinning, addresses, uniqueness inside
 * the domain), then the driver's own {@link DriverLimits}. Every problem is reported, each at its line.
 * <p>
 * That no two domains share a name or UUID is the daemon's rule, checked against its list of domains.
 */
public final class DomainValidator {
    public static final int MAX_NAME_LENGTH = 255;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_:-]+");

    private final DriverLimits limits;

    public DomainValidator() {
        this(DriverLimits.NONE);
    }

    public DomainValidator(DriverLimits limits) {
        this.limits = limits;
    }

    public List<ConfigProblem> validate(DomainConfig config, SourcePositions positions) {
        ProblemReport report = new ProblemReport(positions);
        checkName(config.name(), report);
        checkMemory(config, report);
        checkVcpus(config, report);
        List<DeviceAt> devices = DeviceAt.all(config.devices());
        checkPciAddresses(devices, report);
        checkDisks(config, report);
        checkInterfaces(config.devices().interfaces(), report);
        checkVsock(config.devices().vsock(), report);
        checkBootOrders(devices, report);
        limits.check(config, report);
        return report.problems();
    }

    /** @throws DomainXmlException listing every problem, if there is any */
    public void check(DomainConfig config, SourcePositions positions) {
        List<ConfigProblem> problems = validate(config, positions);
        if (!problems.isEmpty()) {
            throw new DomainXmlException(problems);
        }
    }

    private static void checkName(String name, ProblemReport report) {
        if (name.isEmpty()) {
            report.add(DomainPaths.NAME, "the name is empty");
        } else if (name.length() > MAX_NAME_LENGTH) {
            report.add(DomainPaths.NAME, "the name has " + name.length() + " characters (at most "
                    + MAX_NAME_LENGTH + ")");
        } else if (!NAME.matcher(name).matches()) {
            report.add(DomainPaths.NAME, "invalid name '" + name
                    + "' (only letters, digits, '_', '-' and ':' are allowed)");
        }
    }

    private static void checkMemory(DomainConfig config, ProblemReport report) {
        if (config.memoryKiB() == 0) {
            report.add(DomainPaths.MEMORY, "memory must be greater than 0");
        }
        config.currentMemoryKiB().filter(current -> current > config.memoryKiB()).ifPresent(current ->
                report.add(DomainPaths.CURRENT_MEMORY, "currentMemory " + current + " KiB is more than memory "
                        + config.memoryKiB() + " KiB"));
    }

    private static void checkVcpus(DomainConfig config, ProblemReport report) {
        int count = config.vcpu().count();
        if (count == 0) {
            report.add(DomainPaths.VCPU, "the vCPU count must be at least 1");
        }
        config.vcpu().cpuset().filter(CpuSet::isEmpty).ifPresent(set ->
                report.add(DomainPaths.VCPU, "cpuset", "cpuset '" + set + "' selects no CPU"));
        config.cputune().ifPresent(tune -> {
            List<CpuTune.VcpuPin> pins = tune.vcpuPins();
            Map<Integer, ElementPath> pinned = new HashMap<>();
            for (int i = 0; i < pins.size(); i++) {
                CpuTune.VcpuPin pin = pins.get(i);
                ElementPath path = DomainPaths.CPUTUNE.child("vcpupin", i, pins.size());
                if (pin.vcpu() >= count) {
                    report.add(path, "vcpu", "vCPU " + pin.vcpu() + " does not exist (the domain has " + count
                            + " vCPUs, numbered from 0)");
                }
                ElementPath first = pinned.putIfAbsent(pin.vcpu(), path);
                if (first != null) {
                    report.add(path, "vcpu", "vCPU " + pin.vcpu() + " is already pinned by " + report.describe(first));
                }
                if (pin.cpuset().isEmpty()) {
                    report.add(path, "cpuset", "cpuset '" + pin.cpuset() + "' selects no CPU");
                }
            }
            tune.emulatorPin().filter(CpuSet::isEmpty).ifPresent(set -> report.add(
                    DomainPaths.CPUTUNE.child("emulatorpin"), "cpuset", "cpuset '" + set + "' selects no CPU"));
        });
    }

    private static void checkPciAddresses(List<DeviceAt> devices, ProblemReport report) {
        Map<String, ElementPath> used = new HashMap<>();
        for (DeviceAt at : devices) {
            at.device().pciAddress().ifPresent(address -> {
                ElementPath path = at.path().child("address");
                checkPciRanges(address, path, report);
                ElementPath first = used.putIfAbsent(address.toString(), at.path());
                if (first != null) {
                    report.add(path, "PCI address " + address + " is already used by " + report.describe(first));
                }
            });
            if (at.device() instanceof HostdevConfig hostdev) {
                checkPciRanges(hostdev.source(), at.path().child("source").child("address"), report);
            }
        }
    }

    private static void checkPciRanges(PciAddress address, ElementPath path, ProblemReport report) {
        checkRange(address.domain(), PciAddress.MAX_DOMAIN, "domain", "0x%04x", path, report);
        checkRange(address.bus(), PciAddress.MAX_BUS, "bus", "0x%02x", path, report);
        checkRange(address.slot(), PciAddress.MAX_SLOT, "slot", "0x%02x", path, report);
        checkRange(address.function(), PciAddress.MAX_FUNCTION, "function", "%d", path, report);
    }

    private static void checkRange(int value, int max, String attribute, String format, ElementPath path,
                                   ProblemReport report) {
        if (value > max) {
            report.add(path, attribute, attribute + " " + format.formatted(value) + " is out of range ("
                    + format.formatted(0) + " to " + format.formatted(max) + ")");
        }
    }

    private static void checkDisks(DomainConfig config, ProblemReport report) {
        List<DiskConfig> disks = config.devices().disks();
        int iothreads = config.iothreads().orElse(0);
        Map<String, ElementPath> targets = new HashMap<>();
        for (int i = 0; i < disks.size(); i++) {
            DiskConfig disk = disks.get(i);
            ElementPath path = DeviceAt.DEVICES.child("disk", i, disks.size());
            ElementPath first = targets.putIfAbsent(disk.targetDev(), path);
            if (first != null) {
                report.add(path.child("target"), "dev", "target dev '" + disk.targetDev() + "' is already used by "
                        + report.describe(first));
            }
            disk.driver().flatMap(DiskDriver::iothread)
                    .filter(iothread -> iothread < 1 || iothread > iothreads)
                    .ifPresent(iothread -> report.add(path.child("driver"), "iothread", "iothread " + iothread
                            + " does not exist (the domain has " + iothreads + " iothreads, numbered from 1)"));
        }
    }

    private static void checkInterfaces(List<InterfaceConfig> interfaces, ProblemReport report) {
        Map<MacAddress, ElementPath> macs = new HashMap<>();
        for (int i = 0; i < interfaces.size(); i++) {
            ElementPath path = DeviceAt.DEVICES.child("interface", i, interfaces.size()).child("mac");
            interfaces.get(i).mac().ifPresent(mac -> {
                if (mac.isMulticast()) {
                    report.add(path, "address", "MAC address " + mac + " is a multicast address");
                }
                ElementPath first = macs.putIfAbsent(mac, path.parent());
                if (first != null) {
                    report.add(path, "address", "MAC address " + mac + " is already used by " + report.describe(first));
                }
            });
        }
    }

    private static void checkVsock(Optional<VsockConfig> vsock, ProblemReport report) {
        ElementPath cid = DeviceAt.DEVICES.child("vsock").child("cid");
        vsock.filter(v -> v.cidAuto().equals(Optional.of(false))).ifPresent(v -> {
            if (v.cid().isEmpty()) {
                report.add(cid, "address", "a cid address is required when auto is 'no'");
            }
            v.cid().filter(c -> c < VsockConfig.FIRST_GUEST_CID).ifPresent(c -> report.add(cid, "address",
                    "cid " + c + " is reserved (guest cids start at " + VsockConfig.FIRST_GUEST_CID + ")"));
        });
    }

    private static void checkBootOrders(List<DeviceAt> devices, ProblemReport report) {
        Map<Integer, ElementPath> orders = new HashMap<>();
        for (DeviceAt at : devices) {
            bootOrder(at.device()).ifPresent(order -> {
                ElementPath first = orders.putIfAbsent(order, at.path());
                if (first != null) {
                    report.add(at.path().child("boot"), "order", "boot order " + order + " is already used by "
                            + report.describe(first));
                }
            });
        }
    }

    private static Optional<Integer> bootOrder(Device<?> device) {
        return switch (device) {
            case DiskConfig disk -> disk.bootOrder();
            case InterfaceConfig nic -> nic.bootOrder();
            case HostdevConfig hostdev -> hostdev.bootOrder();
            default -> Optional.empty();
        };
    }
}
