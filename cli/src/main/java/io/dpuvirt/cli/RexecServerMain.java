package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.rexec.RexecClient;
import io.dpuvirt.fabric.rexec.RexecServer;
import io.dpuvirt.fabric.rexec.RexecServerConfig;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

/** {@code rexec_server}: the original's command line (no arguments needed), plus socket, whitelist, grace and directory options. */
public final class RexecServerMain {
    private static final String USAGE = """
            usage: rexec_server [options]

            Starts the programs rexec clients ask for, if /etc/rexec/whitelist lists them, and relays their stdio,
            signals and exit status; or starts them detached, to outlive their client and this server, and answers
            requests about them; and reads and changes files for them within the directories below. Clients reach it
            locally, or from the other side through udsproxyd.

              -s, --socket PATH        where to listen (default: $REXEC_SOCKET, else /var/run/rexec/rexec_uds.sock)
                  --whitelist FILE     the programs that may run, one absolute path a line (default /etc/rexec/whitelist);
                                       it must be owned by root and writable by nobody else
                  --insecure-no-whitelist  let clients start ANY program; for tests only
                  --kill-grace SECONDS between SIGTERM and SIGKILL when a client goes away or the server stops (default 5)
                  --output-dir DIR     where detached programs' stdout and stderr files may be (repeatable; default /var/log);
                                       file requests may read there
                  --state-dir DIR      beneath which file requests may create, write and delete, and read (repeatable;
                                       default none: no file is changed); created at start when missing
                  --readable DIR       beneath which file requests may read, e.g. /usr/share/OVMF (repeatable)
                  --log-level LEVEL    debug, info (default), warn, error
            A missing whitelist refuses every program (without --insecure-no-whitelist).
            exit status: 0 stopped cleanly (SIGTERM, SIGINT), 1 failed, 2 wrong usage, 3 invalid configuration
            """;

    private RexecServerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Log.configure("rexec_server", Log.Level.INFO);
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            RexecServerConfig config = configure(arguments);
            RexecServer server = RexecServer.start(config);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                server.close();
                // SIGTERM and SIGINT are how a daemon is stopped: a clean stop exits 0, not the JVM's 143/130
                Runtime.getRuntime().halt(ExitStatus.OK);
            }));
            new CountDownLatch(1).await();
            return ExitStatus.OK;
        } catch (UsageException e) {
            System.err.println("rexec_server: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (ConfigException e) {
            System.err.println("rexec_server: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("rexec_server: " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    static RexecServerConfig configure(Arguments arguments) throws UsageException {
        String socket = arguments.option("-s", "--socket");
        String whitelist = arguments.option("--whitelist");
        boolean insecure = arguments.flag("--insecure-no-whitelist");
        String grace = arguments.option("--kill-grace");
        String logLevel = arguments.option("--log-level");
        List<Path> outputDirectories = directories(arguments, "--output-dir");
        List<Path> stateDirectories = directories(arguments, "--state-dir");
        List<Path> readableDirectories = directories(arguments, "--readable");
        if (!arguments.positionals().isEmpty()) {
            throw new UsageException("rexec_server takes no arguments, got " + arguments.positionals());
        }
        if (logLevel != null) {
            try {
                Log.configure("rexec_server", Log.Level.valueOf(logLevel.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UsageException("unknown log level '" + logLevel + "'");
            }
        }
        if (insecure && whitelist != null) {
            throw new UsageException("--whitelist and --insecure-no-whitelist contradict each other");
        }
        Duration killGrace = RexecServerConfig.DEFAULT_KILL_GRACE;
        if (grace != null) {
            if (!grace.matches("\\d{1,4}(\\.\\d{1,3})?")) {
                throw new UsageException("--kill-grace needs seconds (like 5 or 0.5), not '" + grace + "'");
            }
            killGrace = Duration.ofMillis(Math.round(Double.parseDouble(grace) * 1000));
        }
        return new RexecServerConfig(socket == null ? RexecClient.socketFromEnvironment() : Path.of(socket),
                whitelist == null ? RexecServerConfig.DEFAULT_WHITELIST : Path.of(whitelist), insecure, killGrace,
                outputDirectories.isEmpty() ? RexecServerConfig.DEFAULT_OUTPUT_DIRECTORIES : outputDirectories,
                stateDirectories, readableDirectories);
    }

    /** The values of a repeatable directory option, each absolute. */
    private static List<Path> directories(Arguments arguments, String option) throws UsageException {
        List<Path> directories = new ArrayList<>();
        for (String value : arguments.options(option)) {
            Path directory = Path.of(value);
            if (!directory.isAbsolute()) {
                throw new UsageException(option + " needs an absolute directory, not '" + value + "'");
            }
            directories.add(directory);
        }
        return directories;
    }
}
