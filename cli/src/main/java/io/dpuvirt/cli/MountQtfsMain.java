package io.dpuvirt.cli;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.fabric.link.LinkKey;
import io.dpuvirt.rfs.client.LinkSettings;
import io.dpuvirt.rfs.client.MountConfig;
import io.dpuvirt.rfs.client.MountOptions;
import io.dpuvirt.rfs.client.RfsMount;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code mount.qtfs HOSTPATH LOCALPATH [-o OPTIONS]}: the mount(8) helper for {@code mount -t qtfs}. It starts the
 * FUSE daemon in its own session (log: {@code log=FILE}, default /var/log/dpuvirt/rfs-MOUNTPOINT.log), waits until
 * the daemon has connected to the HOST and mounted, and exits; the daemon serves until {@code umount}.
 */
public final class MountQtfsMain {
    private static final String USAGE = """
            usage: mount.qtfs HOSTPATH LOCALPATH [-o OPTIONS] [--foreground]
                   mount -t qtfs [-o OPTIONS] HOSTPATH LOCALPATH

            Mounts the HOST's directory HOSTPATH at LOCALPATH (usually the same path), through the HOST's engine.
            options (-o, comma-separated; also read as key=value lines from /etc/qtfs/qtfs.conf):
              peer=ADDR:PORT | peer=vsock:CID:PORT   the HOST's engine
              key=FILE              the link key (default /etc/qtfs/link.key); insecure: no key (test mode)
              attr_timeout=S, entry_timeout=S, negative_timeout=S   how long the DPU trusts what it saw (default 1)
              readers=N             threads reading FUSE requests (default 8)
              log=FILE              the daemon's log
              ro rw nosuid suid nodev dev noexec exec sync async noatime relatime atime defaults _netdev nofail
            --config FILE           read settings from FILE instead of /etc/qtfs/qtfs.conf
            --foreground            serve in this process (the daemon mode) instead of starting a daemon
            exit status: 0 mounted, 1 failed (the reason is printed), 2 wrong usage, 3 invalid configuration
            """;
    private static final String READY = "ready";
    private static final long START_TIMEOUT_SECONDS = 30;

    private MountQtfsMain() {
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Log.configure("mount.qtfs", Log.Level.INFO);
        try {
            Arguments arguments = new Arguments(args);
            if (arguments.flag("-h", "--help")) {
                System.out.print(USAGE);
                return ExitStatus.OK;
            }
            boolean foreground = arguments.flag("--foreground");
            boolean fake = arguments.flag("-f");
            arguments.flag("-n");
            arguments.flag("-v");
            arguments.flag("-s");
            arguments.option("-t");
            String options = arguments.option("-o");
            String config = arguments.option("--config");
            List<String> positionals = arguments.positionals();
            if (positionals.size() != 2) {
                throw new UsageException("expected HOSTPATH and LOCALPATH, got " + positionals.size() + " arguments");
            }
            String hostPath = positionals.get(0);
            String mountPoint = Path.of(positionals.get(1)).toAbsolutePath().normalize().toString();
            if (!hostPath.startsWith("/")) {
                throw new UsageException("HOSTPATH must be absolute: " + hostPath);
            }
            MountOptions parsed;
            try {
                parsed = MountOptions.parse(options, configFile(config == null ? MountOptions.DEFAULT_CONFIG : Path.of(config)), mountPoint);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage());
            }
            if (fake) {
                return ExitStatus.OK;
            }
            return foreground ? serve(hostPath, mountPoint, parsed) : startDaemon(args, parsed.logFile());
        } catch (UsageException e) {
            System.err.println("mount.qtfs: " + e.getMessage());
            System.err.print(USAGE);
            return ExitStatus.USAGE;
        } catch (ConfigException e) {
            System.err.println("mount.qtfs: " + e.getMessage());
            return ExitStatus.CONFIG;
        } catch (IOException e) {
            System.err.println("mount.qtfs: " + e.getMessage());
            return ExitStatus.FAILED;
        }
    }

    /** {@code key=value} lines; {@code #} starts a comment. A missing file is no settings. */
    static Map<String, String> configFile(Path file) throws IOException, ConfigException {
        Map<String, String> settings = new LinkedHashMap<>();
        if (!Files.exists(file)) {
            return settings;
        }
        int number = 0;
        for (String line : Files.readAllLines(file)) {
            number++;
            String text = line.strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            int equals = text.indexOf('=');
            if (equals <= 0) {
                throw new ConfigException(file, number, "expected key=value, got '" + text + "'");
            }
            settings.put(text.substring(0, equals).strip(), text.substring(equals + 1).strip());
        }
        return settings;
    }

    /** The daemon: connect, mount, say "ready" on standard output, serve until unmounted. */
    private static int serve(String hostPath, String mountPoint, MountOptions options) {
        PrintStream status = System.out;
        try {
            LinkKey key = options.insecure() ? null : LinkKey.load(options.keyFile());
            MountConfig config = new MountConfig(hostPath, mountPoint, options.transport(), key, options.mountFlags(),
                    options.cacheTimes(), LinkSettings.defaults(), options.readers());
            RfsMount mount = RfsMount.mount(config);
            Runtime.getRuntime().addShutdownHook(new Thread(mount::close));
            status.println(READY);
            status.flush();
            mount.awaitUnmount();
            Log.info("unmounted " + mountPoint);
            mount.close();
            return ExitStatus.OK;
        } catch (IOException e) {
            Log.error("cannot mount " + hostPath + " at " + mountPoint + ": " + e.getMessage());
            status.println("cannot mount " + hostPath + " at " + mountPoint + ": " + e.getMessage());
            return ExitStatus.FAILED;
        } catch (InterruptedException e) {
            return ExitStatus.FAILED;
        }
    }

    /**
     * Starts this tool again with {@code --foreground} in a new session (setsid), its log appended to
     * {@code logFile}, and waits for its first line: "ready", or the reason it could not mount.
     */
    private static int startDaemon(String[] args, Path logFile) throws IOException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        List<String> command = new ArrayList<>(List.of("setsid",
                ProcessHandle.current().info().command().orElse("java"), "--enable-native-access=ALL-UNNAMED", "-Xss512k",
                "-cp", System.getProperty("java.class.path"), MountQtfsMain.class.getName(), "--foreground"));
        command.addAll(List.of(args));
        Process daemon = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectError(ProcessBuilder.Redirect.appendTo(logFile.toFile())).start();
        BufferedReader output = new BufferedReader(new InputStreamReader(daemon.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<String> firstLine = CompletableFuture.supplyAsync(() -> {
            try {
                return output.readLine();
            } catch (IOException e) {
                return null;
            }
        });
        String line;
        try {
            line = firstLine.get(START_TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            daemon.destroyForcibly();
            System.err.println("mount.qtfs: the daemon did not mount within " + START_TIMEOUT_SECONDS + " s (log: " + logFile + ")");
            return ExitStatus.FAILED;
        }
        if (READY.equals(line)) {
            return ExitStatus.OK;
        }
        System.err.println("mount.qtfs: " + (line == null ? "the daemon ended without mounting (log: " + logFile + ")" : line));
        return ExitStatus.FAILED;
    }
}
