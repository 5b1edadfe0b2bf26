package io.dpuvirt.virt.driver.managed;

import java.nio.file.Path;

/**
 * Where a driver keeps its files under the daemon's root, laid out as libvirt lays out its own
 * ({@code /etc/libvirt/qemu}, {@code /run/libvirt/qemu}):
 * <pre>
 * ROOT/etc/dpuvirt/DRIVER/NAME.xml             persistent definitions (0600, directory 0700)
 * ROOT/etc/dpuvirt/DRIVER/autostart/NAME.xml   symlinks to ../NAME.xml: the domains started with the daemon
 * ROOT/run/dpuvirt/DRIVER/NAME.xml             the live definition of a running domain (with its id)
 * ROOT/run/dpuvirt/DRIVER/NAME.state           its state and what finds its guest again (pid, monitor)
 * ROOT/run/dpuvirt/DRIVER/.NAME.state.spare    the state before, where the next one is written (then swapped in)
 * </pre>
 * {@code /run} is a tmpfs: after the machine reboots no guest runs, and no running-state file is left.
 */
public record DriverDirectories(Path config, Path autostart, Path run) {
    public static DriverDirectories under(Path root, String driver) {
        Path config = root.resolve("etc/dpuvirt").resolve(driver);
        return new DriverDirectories(config, config.resolve("autostart"), root.resolve("run/dpuvirt").resolve(driver));
    }
}
