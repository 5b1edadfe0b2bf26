package io.dpuvirt.cli;

import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.daemon.GuestHost;
import io.dpuvirt.daemon.HostLink;
import io.dpuvirt.daemon.KeepaliveSettings;
import io.dpuvirt.daemon.Virtd;
import io.dpuvirt.daemon.VirtdConfig;
import io.dpuvirt.daemon.VirtdConfigFile;
import io.dpuvirt.rpc.server.KeepalivePolicy;
import io.dpuvirt.virt.driver.DriverException;

import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.BiFunction;

/** {@code virtd}: the libvirt-compatible daemon, in the foreground, logging to stderr. */
public final class VirtdMain {
    private static final String USAGE = """
            usage: virtd [--config FILE] [--guests local|remote] [--rexec-socket PATH]
                         [--host-udsproxyd ADDR:PORT --link-key FILE] [--socket PATH]
                         [--socket-mode MODE] [--root DIR] [--uri-default URI] [--log-level LEVEL]
                         [--keepalive-interval SECONDS] [--keepalive-count N]

            Serves libvirt's RPC protocol, so that virsh, virt-install and python3-libvirt manage domains through it.

              --config FILE       read FILE (default /etc/dpuvirt/virtd.conf, if it exists); options override it
              --guests WHERE      local: guests run on this machine (default); remote: this is the DPU and they
                                  run on the HOST, through its rexec_server and udsproxyd (see docs/OFFLOAD.md)
              --rexec-socket PATH with --guests remote: the HOST's rexec_server socket
                                  (default /var/run/rexec/rexec_uds.sock)
              --host-udsproxyd ADDR:PORT, --link-key FILE
                                  with --guests remote: dial the HOST's udsproxyd (ADDR:PORT, or vsock:CID:PORT) with
                                  the link's key for the guests' sockets and rexec_server, instead of going through
                                  this side's udsproxyd and its mirrors (one relay less each way)
              --socket PATH       where to listen (default /var/run/libvirt/libvirt-sock, libvirt's own: virsh -c
                                  qemu:///system finds it); nothing else is bound
              --socket-mode MODE  the socket's permissions, octal (default 0600: its owner only)
              --root DIR          keep every file under DIR (default /): definitions in DIR/etc/dpuvirt/DRIVER,
                                  running state in DIR/run/dpuvirt/DRIVER, guests' files in DIR/var/lib/dpuvirt and
                                  DIR/var/log/dpuvirt on the machine the guests run on
              --uri-default URI   what a client that names no URI gets (default qemu:///system)
              --keepalive-interval SECONDS, --keepalive-count N
                                  as libvirtd.conf's keepalive_interval and keepalive_count: a client that asked
                                  for keepalive (virsh does) is sent a PING after SECONDS without a message from it
                                  and closed when N PINGs went unanswered, which releases what it held (default 5
                                  and 5: 30 s of silence); -1 sends no PINGs
              --log-level LEVEL   debug, info (default), warn, error
            drivers: qemu:///system, stratovirt:///system, test:///default (libvirt's test driver, in memory)
            exit status: 0 stopped cleanly (SIGTERM, SIGINT), 1 failed (also: a remote HOST not reachable), 2 wrong
            usage or configuration
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
        } catch (ConfigException e) {
            System.err.println("virtd: " + e.getMessage());
            return ExitStatus.USAGE;
        } catch (IOException | DriverException e) {
            Log.error(e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    static VirtdConfig configure(Arguments arguments) throws UsageException, ConfigException {
        String file = arguments.option("--config");
        String guests = arguments.option("--guests");
        String rexecSocket = arguments.option("--rexec-socket");
        String hostUdsproxyd = arguments.option("--host-udsproxyd");
        String linkKey = arguments.option("--link-key");
        String socket = arguments.option("--socket");
        String mode = arguments.option("--socket-mode");
        String root = arguments.option("--root");
        String uri = arguments.option("--uri-default");
        String level = arguments.option("--log-level");
        String keepaliveInterval = arguments.option("--keepalive-interval");
        String keepaliveCount = arguments.option("--keepalive-count");
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
        VirtdConfig config = VirtdConfigFile.apply(file == null ? VirtdConfigFile.DEFAULT : Path.of(file), file != null,
                VirtdConfig.defaults());
        config = guestHost(config, guests, rexecSocket, hostUdsproxyd, linkKey);
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
        KeepalivePolicy keepalive = keepaliveSetting("--keepalive-interval", keepaliveInterval, config.keepalive(),
                KeepaliveSettings::withInterval);
        return config.withKeepalive(keepaliveSetting("--keepalive-count", keepaliveCount, keepalive,
                KeepaliveSettings::withCount));
    }

    /** {@code policy} with what {@code option} says, if given. */
    private static KeepalivePolicy keepaliveSetting(String option, String value, KeepalivePolicy policy,
                                                    BiFunction<KeepalivePolicy, String, KeepalivePolicy> change)
            throws UsageException {
        if (value == null) {
            return policy;
        }
        try {
            return change.apply(policy, value);
        } catch (IllegalArgumentException e) {
            throw new UsageException(option + " " + e.getMessage());
        }
    }

    /** {@code --guests}, {@code --rexec-socket}, {@code --host-udsproxyd} and {@code --link-key} over the file's. */
    private static VirtdConfig guestHost(VirtdConfig config, String guests, String rexecSocket, String hostUdsproxyd,
                                         String linkKey) throws UsageException {
        String where = guests != null ? guests : config.guestHost() instanceof GuestHost.Remote ? "remote" : "local";
        if ((rexecSocket != null || hostUdsproxyd != null || linkKey != null) && !where.equals("remote")) {
            throw new UsageException((rexecSocket != null ? "--rexec-socket" : hostUdsproxyd != null ? "--host-udsproxyd"
                    : "--link-key") + " is for --guests remote");
        }
        Optional<GuestHost.Remote> configured = config.guestHost() instanceof GuestHost.Remote remote
                ? Optional.of(remote) : Optional.empty();
        return switch (where) {
            case "local" -> config.withGuestHost(new GuestHost.Local());
            case "remote" -> {
                Path socket = rexecSocket != null ? Path.of(rexecSocket).toAbsolutePath()
                        : configured.map(GuestHost.Remote::rexecSocket).orElse(GuestHost.DEFAULT_REXEC_SOCKET);
                yield config.withGuestHost(new GuestHost.Remote(socket,
                        hostLink(configured.flatMap(GuestHost.Remote::link), hostUdsproxyd, linkKey)));
            }
            default -> throw new UsageException("--guests wants local or remote, not '" + where + "'");
        };
    }

    /** The file's link with what the options change; an option alone needs the other from the file. */
    private static Optional<HostLink> hostLink(Optional<HostLink> configured, String hostUdsproxyd, String linkKey)
            throws UsageException {
        if (hostUdsproxyd == null && linkKey == null) {
            return configured;
        }
        if (configured.isEmpty() && (hostUdsproxyd == null || linkKey == null)) {
            throw new UsageException("--host-udsproxyd and --link-key go together (or complete udsproxyd and link_key"
                    + " in the configuration file)");
        }
        Path key = linkKey != null ? Path.of(linkKey).toAbsolutePath() : configured.get().keyFile();
        if (hostUdsproxyd == null) {
            return Optional.of(new HostLink(configured.get().transport(), key));
        }
        try {
            return Optional.of(HostLink.of(hostUdsproxyd, key));
        } catch (IllegalArgumentException e) {
            throw new UsageException("--host-udsproxyd: " + e.getMessage());
        }
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
