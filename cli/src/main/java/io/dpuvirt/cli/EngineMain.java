package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rfs.server.RfsServer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code engine}: the HOST's rfs server (the original's engine process). It serves only rfs: the HOST's udsproxyd
 * stays its own process on its own port, so that either can be restarted without disturbing the other.
 */
public final class EngineMain {
    private static final String USAGE = """
            usage: engine [options] <addr> <port>

            Serves HOST directories to rfs mounts on the DPU (mount -t qtfs): every request is resolved beneath the
            exported directory and checked against its section of the whitelist.

              <addr> <port>         where to listen: an IPv4 address (test mode) or, with --vsock, a vsock CID
            options:
              --vsock               <addr> is a vsock CID (production); without it, TCP (test mode)
              --key FILE            the link key both sides share (mode 0600; default /etc/qtfs/link.key)
              --insecure-no-auth    run without a key: anyone who reaches <addr>:<port> may mount what [Mount] allows
              --whitelist FILE      default /etc/qtfs/whitelist; it must have a [Mount] section
              --log-level LEVEL     debug, info (default), warn, error
            It prints "ready" on standard output once it listens; the log goes to standard error.
            exit status: 0 stopped cleanly (SIGTERM, SIGINT), 1 failed, 2 wrong usage, 3 invalid configuration
            """;

    private EngineMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Log.configure("engine", Log.Level.INFO);
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            boolean vsock = arguments.flag("--vsock");
            boolean insecure = arguments.flag("--insecure-no-auth");
            String keyFile = arguments.option("--key");
            String whitelist = arguments.option("--whitelist");
            String logLevel = arguments.option("--log-level");
            List<String> positionals = arguments.positionals();
            if (positionals.size() != 2) {
                throw new UsageException("expected 2 arguments (<addr> <port>), got " + positionals.size());
            }
            if (logLevel != null) {
                Log.configure("engine", UdsproxydMain.logLevel(logLevel));
            }
            Transport transport;
            try {
                // the engine only listens: its "peer" is never dialed
                transport = Transport.of(vsock, positionals.get(0), positionals.get(1), positionals.get(0), positionals.get(1));
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            LinkKey key = UdsproxydMain.linkKey(insecure, keyFile);
            RfsServer server = RfsServer.start(transport, key, whitelist == null ? Whitelist.DEFAULT_FILE : Path.of(whitelist));
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                Runtime.getRuntime().halt(ExitStatus.OK);
            }));
            System.out.println("ready");
            System.out.flush();
            new CountDownLatch(1).await();
            return ExitStatus.OK;
        } catch (UsageException e) {
            System.err.println("engine: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (ConfigException e) {
            System.err.println("engine: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("engine: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }
}
