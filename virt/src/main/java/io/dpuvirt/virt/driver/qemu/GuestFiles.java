package io.dpuvirt.virt.driver.qemu;

import java.nio.file.Path;

/**
 * A running guest's files on the host, laid out as libvirt lays out its own
 * ({@code /var/lib/libvirt/qemu/domain-ID-NAME/monitor.sock}, {@code /var/log/libvirt/qemu/NAME.log}):
 * <pre>
 * ROOT/var/lib/dpuvirt/DRIVER/domain-ID-SHORTNAME/   0700: the monitor socket, the console sockets, the pid file
 * ROOT/var/log/dpuvirt/DRIVER/NAME.log               what the hypervisor prints (appended run after run)
 * </pre>
 * The short name is the domain's first 20 characters, as libvirt shortens it, so that socket paths stay
 * within the 108 bytes a unix socket address holds.
 */
public record GuestFiles(Path directory, Path log) {
    private static final int SHORT_NAME = 20;

    public static GuestFiles of(Path root, String driver, int id, String name) {
        String shortName = name.length() > SHORT_NAME ? name.substring(0, SHORT_NAME) : name;
        return new GuestFiles(root.resolve("var/lib/dpuvirt").resolve(driver).resolve("domain-" + id + "-" + shortName),
                root.resolve("var/log/dpuvirt").resolve(driver).resolve(name + ".log"));
    }

    public Path monitor() {
        return directory.resolve("monitor.sock");
    }

    public Path pidFile() {
        return directory.resolve("pid");
    }

    /** The socket of character device {@code chardevId}, which the hypervisor listens on. */
    public Path socket(String chardevId) {
        return directory.resolve(chardevId + ".sock");
    }
}
