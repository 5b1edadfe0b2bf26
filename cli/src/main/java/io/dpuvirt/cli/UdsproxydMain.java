package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.fabric.udsproxy.PathMapping;
import io.dpuvirt.fabric.udsproxy.StatusServer;
import io.dpuvirt.fabric.udsproxy.Udsproxy;
import io.dpuvirt.fabric.udsproxy.UdsproxyConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/** {@code udsproxyd}: the original's command line, plus authentication, mappings and a status view. */
public final class UdsproxydMain {
    static final Path DEFAULT_KEY = Path.of("/etc/qtfs/link.key");
    private static final String USAGE = """
            usage: udsproxyd [options] <threads> <addr> <port> <peer-addr> <peer-port>
                   udsproxyd --status [--run-dir DIR]

            Mirrors the unix sockets listening under [Udsconnect] on each side onto the other side, so that an
            unmodified client connecting to such a path here reaches the server bound at that path over there.

              <threads>             accepted for compatibility with the original (which required 1); ignored
              <addr> <port>         this side's address: an IPv4 address (test mode) or, with --vsock, a vsock CID
              <peer-addr> <peer-port>  the other side's udsproxyd
            options:
              --vsock               addresses are vsock CIDs (production); without it, TCP (test mode)
              --key FILE            the link key both sides share (mode 0600; default /etc/qtfs/link.key)
              --insecure-no-auth    run without a key: anyone who reaches <addr>:<port> gets every whitelisted socket
              --whitelist FILE      default /etc/qtfs/whitelist ([Udsconnect] Path=dir;dir)
              --map LOCAL=REMOTE    a client of LOCAL here reaches the peer's REMOTE (repeatable)
              --run-dir DIR         lock, status socket and state (default /var/run/qtfs)
              --log-level LEVEL     debug, info (default), warn, error
              --status              print the running daemon's status and exit
            exit status: 0 stopped cleanly (SIGTERM, SIGINT), 1 failed, 2 wrong usage, 3 invalid configuration
            """;

    private UdsproxydMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Log.configure("udsproxyd", Log.Level.INFO);
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            String runDirectory = arguments.option("--run-dir");
            Path runDir = runDirectory == null ? UdsproxyConfig.DEFAULT_RUN_DIRECTORY : Path.of(runDirectory);
            if (arguments.flag("--status")) {
                arguments.positionals();
                System.out.print(StatusServer.ask(runDir.resolve("udsproxyd.sock"), "status"));
                return ExitStatus.OK;
            }
            UdsproxyConfig config = configure(arguments, runDir);
            Udsproxy proxy = Udsproxy.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                proxy.close();
                // SIGTERM and SIGINT are how a daemon is stopped: a clean stop exits 0, not the JVM's 143/130
                Runtime.getRuntime().halt(ExitStatus.OK);
            }));
            new CountDownLatch(1).await();
            return ExitStatus.OK;
        } catch (UsageException e) {
            System.err.println("udsproxyd: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (ConfigException e) {
            System.err.println("udsproxyd: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("udsproxyd: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    private static UdsproxyConfig configure(Arguments arguments, Path runDirectory) throws UsageException, IOException {
        boolean vsock = arguments.flag("--vsock");
        boolean insecure = arguments.flag("--insecure-no-auth");
        String keyFile = arguments.option("--key");
        String whitelist = arguments.option("--whitelist");
        String logLevel = arguments.option("--log-level");
        List<PathMapping> mappings = new ArrayList<>();
        for (String mapping : arguments.options("--map")) {
            try {
                mappings.add(PathMapping.parse(mapping));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
        }
        List<String> positionals = arguments.positionals();
        if (positionals.size() != 5) {
            throw new UsageException("expected 5 arguments (<threads> <addr> <port> <peer-addr> <peer-port>), got " + positionals.size());
        }
        if (!positionals.getFirst().matches("[1-9]\\d{0,3}")) {
            throw new UsageException("<threads> must be a positive number, got '" + positionals.getFirst() + "'");
        }
        if (logLevel != null) {
            Log.configure("udsproxyd", logLevel(logLevel));
        }
        Transport transport;
        try {
            transport = Transport.of(vsock, positionals.get(1), positionals.get(2), positionals.get(3), positionals.get(4));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        LinkKey key = linkKey(insecure, keyFile);
        return new UdsproxyConfig(transport, key, whitelist == null ? Whitelist.DEFAULT_FILE : Path.of(whitelist), mappings, runDirectory);
    }

    static Log.Level logLevel(String name) throws UsageException {
        try {
            return Log.Level.valueOf(name.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UsageException("unknown log level '" + name + "'");
        }
    }

    /** The key, or null in the explicitly requested insecure mode; never silently keyless. */
    static LinkKey linkKey(boolean insecure, String keyFile) throws UsageException, IOException {
        if (insecure) {
            if (keyFile != null) {
                throw new UsageException("--key and --insecure-no-auth contradict each other");
            }
            return null;
        }
        Path file = keyFile == null ? DEFAULT_KEY : Path.of(keyFile);
        if (keyFile == null && !Files.exists(file)) {
            throw new UsageException("no link key: " + DEFAULT_KEY + " does not exist; give --key FILE (the same file on both sides;"
                    + " make one with: head -c 32 /dev/urandom > FILE; chmod 600 FILE) or, for a test, --insecure-no-auth");
        }
        return LinkKey.load(file);
    }
}
