package io.dpuvirt.cli;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.daemon.Virtd;
import io.dpuvirt.daemon.VirtdConfig;
import io.dpuvirt.virt.driver.DriverException;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/** {@code virtd}: the libvirt-compatible daemon, in the foreground, logging to stderr. */
public final class VirtdMain {
    private static final String USAGE = """
            usage: virtd [--socket PATH] [--socket-mode MODE] [--root DIR] [--uri-default URI] [--log-level LEVEL]

            Serves libvirt's RPC protocol, so that virsh, virt-install and python3-libvirt manage domains through it.

              --socket PATH       where to listen (default /var/run/libvirt/libvirt-sock, libvirt's own: virsh -c
                                  qemu:///system finds it); nothing else is bound
              --socket-mode MODE  the socket's permissions, octal (default 0600: its owner only)
              --root DIR          keep every file under DIR (default /): definitions in DIR/etc/dpuvirt/DRIVER,
                                  running state in DIR/run/dpuvirt/DRIVER
              --uri-default URI   what a client that names no URI gets (default qemu:///system)
              --log-level LEVEL   debug, info (default), warn, error
            drivers: test:///default (libvirt's test driver); qemu:///system and stratovirt:///system are refused until
            their drivers exist.
            exit status: 0 stopped cleanly (SIGTERM, SIGINT), 1 failed, 2 wrong usage
            """;

    private VirtdMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Log.configure("virtd", Log.Level.INFO);
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            VirtdConfig config = configure(arguments);
            Virtd virtd = Virtd.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    virtd.close();
                    Log.info("stopped; guests keep running");
                } catch (IOException e) {
                    Log.error("stopping: " + e.getMessage());
                }
                // SIGTERM and SIGINT are how a daemon is stopped: a clean stop exits 0, not the JVM's 143/130
                Runtime.getRuntime().halt(ExitStatus.OK);
            }));
            new CountDownLatch(1).await();
            return ExitStatus.OK;
        } catch (UsageException e) {
            System.err.println("virtd: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (IOException | DriverException e) {
            Log.error(e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    private static VirtdConfig configure(Arguments arguments) throws UsageException {
        VirtdConfig config = VirtdConfig.defaults();
        String socket = arguments.option("--socket");
        String mode = arguments.option("--socket-mode");
        String root = arguments.option("--root");
        String uri = arguments.option("--uri-default");
        String level = arguments.option("--log-level");
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("unexpected argument " + arguments.positionals().getFirst());
        }
        if (level != null) {
            try {
                Log.configure("virtd", Log.Level.valueOf(level.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown log level '" + level + "'");
            }
        }
        if (socket != null) {
            config = config.withSocket(Path.of(socket));
        }
        if (mode != null) {
            config = config.withSocketPermissions(permissions(mode));
        }
        if (root != null) {
            config = config.withRoot(Path.of(root).toAbsolutePath());
        }
        if (uri != null) {
            config = config.withDefaultUri(uri);
        }
        return config;
    }

    /** An octal mode such as 0660 as permissions; only read and write bits mean anything on a socket. */
    static Set<PosixFilePermission> permissions(String octal) throws UsageException {
        if (!octal.matches("0?[0-7]{3}")) {
            throw new UsageException("--socket-mode wants an octal mode such as 0600 or 0660, not '" + octal + "'");
        }
        int bits = Integer.parseInt(octal, 8);
        PosixFilePermission[] order = {
                PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
                PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
                PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ};
        Set<PosixFilePermission> permissions = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < order.length; i++) {
            if ((bits & (1 << i)) != 0) {
                permissions.add(order[i]);
            }
        }
        return permissions;
    }
}
