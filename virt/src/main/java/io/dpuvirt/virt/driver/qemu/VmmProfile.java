package io.dpuvirt.virt.driver.qemu;

import io.dpuvirt.virt.conf.DomainConfig;
import io.dpuvirt.virt.conf.DriverLimits;
import io.dpuvirt.virt.qmp.QmpDialect;

import java.util.Objects;
import java.util.function.Function;

/**
 * What makes one QMP-driven hypervisor different from another: its names, what it cannot run, its
 * command line, its QMP dialect, the program that runs an architecture's guests, how {@code --version}
 * output names its version, and whether it can fall back from KVM to TCG.
 *
 * @param name        the driver's name and directory ({@code qemu})
 * @param uri         its connections' URI ({@code qemu:///system})
 * @param type        virConnectGetType ({@code QEMU})
 * @param emulator    the default program for an architecture, when the domain names no {@code <emulator>}
 * @param versionFlag the option that prints its version
 * @param emulates    whether it has TCG: without it every guest runs under KVM whatever its type
 */
public record VmmProfile(String name, String uri, String type, DriverLimits limits, CommandLineBuilder commandLine,
                         QmpDialect dialect, Function<String, String> emulator, String versionFlag, boolean emulates) {
    public VmmProfile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(commandLine, "commandLine");
        Objects.requireNonNull(dialect, "dialect");
        Objects.requireNonNull(emulator, "emulator");
        Objects.requireNonNull(versionFlag, "versionFlag");
    }

    /** The program that runs {@code config}: its {@code <emulator>}, else the default for its architecture. */
    public String emulatorFor(DomainConfig config) {
        return config.devices().emulator().orElseGet(() -> emulator.apply(config.os().arch().orElse("x86_64")));
    }
}
