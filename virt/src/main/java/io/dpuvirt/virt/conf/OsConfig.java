package io.dpuvirt.virt.conf;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code <os>}: guest type ({@code hvm}), architecture and machine, direct kernel boot (kernel, initrd,
 * cmdline), firmware ({@code loader}, with its {@code nvram} variable store for UEFI) and boot order.
 */
public record OsConfig(String type, Optional<String> arch, Optional<String> machine, Optional<String> kernel,
                       Optional<String> initrd, Optional<String> cmdline, Optional<Loader> loader,
                       Optional<Nvram> nvram, List<BootDevice> bootDevices, Extensions extensions) {
    public enum BootDevice implements XmlEnum { FD, HD, CDROM, NETWORK }

    /** Firmware image; {@code type} is {@code rom} or {@code pflash}. */
    public record Loader(String path, Optional<Boolean> readonly, Optional<String> type) {
        public Loader {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(readonly, "readonly");
            Objects.requireNonNull(type, "type");
        }
    }

    /** The guest's own copy of the UEFI variables, created from {@code template}. */
    public record Nvram(String path, Optional<String> template) {
        public Nvram {
            Objects.requireNonNull(path, "path");
            Objects.requireNonNull(template, "template");
        }
    }

    public OsConfig {
        Objects.requireNonNull(type, "type");
        bootDevices = List.copyOf(bootDevices);
        Objects.requireNonNull(extensions, "extensions");
    }
}
