package io.dpuvirt.virt.conf;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * A libvirt domain definition: what {@code virsh define} accepts and {@code virsh dumpxml} prints.
 * Memory sizes are in KiB. What the document held beyond the model is in the records' extensions, so
 * that writing it back loses nothing. Parse with {@link DomainXmlParser}, complete with
 * {@link DomainDefaults}, check with {@link DomainValidator}, write with {@link DomainXmlWriter}.
 */
public record DomainConfig(Type type, String name, Optional<UUID> uuid, Optional<String> title,
                           Optional<String> description, long memoryKiB, Optional<Long> currentMemoryKiB,
                           Optional<MemoryBacking> memoryBacking, VcpuConfig vcpu, Optional<Integer> iothreads,
                           Optional<CpuTune> cputune, OsConfig os, Optional<Features> features, Optional<CpuConfig> cpu,
                           Optional<ClockConfig> clock, Lifecycle lifecycle, Devices devices, Extensions extensions) {
    /**
     * {@code kvm} for hardware virtualisation, {@code qemu} for TCG emulation, {@code test} for the
     * domains of libvirt's in-memory test driver.
     */
    public enum Type implements XmlEnum { KVM, QEMU, TEST }

    public DomainConfig {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(currentMemoryKiB, "currentMemoryKiB");
        Objects.requireNonNull(memoryBacking, "memoryBacking");
        Objects.requireNonNull(vcpu, "vcpu");
        Objects.requireNonNull(iothreads, "iothreads");
        Objects.requireNonNull(cputune, "cputune");
        Objects.requireNonNull(os, "os");
        Objects.requireNonNull(features, "features");
        Objects.requireNonNull(cpu, "cpu");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(lifecycle, "lifecycle");
        Objects.requireNonNull(devices, "devices");
        Objects.requireNonNull(extensions, "extensions");
    }

    public DomainConfig withUuid(UUID newUuid) {
        return new DomainConfig(type, name, Optional.of(newUuid), title, description, memoryKiB, currentMemoryKiB,
                memoryBacking, vcpu, iothreads, cputune, os, features, cpu, clock, lifecycle, devices, extensions);
    }

    public DomainConfig withCurrentMemoryKiB(long kib) {
        return new DomainConfig(type, name, uuid, title, description, memoryKiB, Optional.of(kib), memoryBacking,
                vcpu, iothreads, cputune, os, features, cpu, clock, lifecycle, devices, extensions);
    }

    public DomainConfig withVcpu(VcpuConfig newVcpu) {
        return new DomainConfig(type, name, uuid, title, description, memoryKiB, currentMemoryKiB, memoryBacking,
                newVcpu, iothreads, cputune, os, features, cpu, clock, lifecycle, devices, extensions);
    }

    public DomainConfig withLifecycle(Lifecycle newLifecycle) {
        return new DomainConfig(type, name, uuid, title, description, memoryKiB, currentMemoryKiB, memoryBacking,
                vcpu, iothreads, cputune, os, features, cpu, clock, newLifecycle, devices, extensions);
    }

    public DomainConfig withDevices(Devices newDevices) {
        return new DomainConfig(type, name, uuid, title, description, memoryKiB, currentMemoryKiB, memoryBacking,
                vcpu, iothreads, cputune, os, features, cpu, clock, lifecycle, newDevices, extensions);
    }
}
