package io.dpuvirt.rfs.client;

import io.dpuvirt.common.net.SockAddr;
import io.dpuvirt.fabric.link.Transport;
import io.dpuvirt.rfs.fuse.FuseDevice;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options of {@code mount -t qtfs -o ...}, on top of those in the configuration file ({@code key=value}
 * lines, the same names): where the engine is, the key, cache times, threads, the log, and the generic mount
 * flags ({@code ro}, {@code noexec}…; {@code nosuid,nodev} by default, as for any FUSE mount).
 */
public record MountOptions(Transport transport, Path keyFile, boolean insecure, long mountFlags, CacheTimes cacheTimes,
                           int readers, Path logFile) {
    public static final Path DEFAULT_CONFIG = Path.of("/etc/qtfs/qtfs.conf");
    public static final Path DEFAULT_KEY = Path.of("/etc/qtfs/link.key");

    /** Parses the option list, the file's settings ({@code fromFile}) coming first and the list overriding them. */
    public static MountOptions parse(String options, Map<String, String> fromFile, String mountPoint) {
        Map<String, String> settings = new LinkedHashMap<>(fromFile);
        long flags = FuseDevice.MS_NOSUID | FuseDevice.MS_NODEV;
        for (String item : options == null ? new String[0] : options.split(",")) {
            if (item.isBlank()) {
                continue;
            }
            int equals = item.indexOf('=');
            if (equals > 0) {
                settings.put(item.substring(0, equals), item.substring(equals + 1));
            } else if (item.equals("insecure")) {
                settings.put(item, "");
            } else {
                flags = flag(item, flags);
            }
        }
        String peer = require(settings, "peer");
        CacheTimes defaults = CacheTimes.defaults();
        CacheTimes times = new CacheTimes(seconds(settings, "entry_timeout", defaults.entry()),
                seconds(settings, "attr_timeout", defaults.attr()), seconds(settings, "negative_timeout", defaults.negative()));
        int readers = Integer.parseInt(settings.getOrDefault("readers", "8"));
        if (readers < 1 || readers > 64) {
            throw new IllegalArgumentException("readers must be 1 to 64, not " + readers);
        }
        String log = settings.getOrDefault("log", "/var/log/dpuvirt/rfs" + mountPoint.replace('/', '-') + ".log");
        boolean insecure = settings.containsKey("insecure");
        for (String key : settings.keySet()) {
            if (!java.util.Set.of("peer", "key", "insecure", "entry_timeout", "attr_timeout", "negative_timeout",
                    "readers", "log").contains(key)) {
                throw new IllegalArgumentException("unknown option '" + key + "'");
            }
        }
        return new MountOptions(transport(peer), Path.of(settings.getOrDefault("key", DEFAULT_KEY.toString())), insecure,
                flags, times, readers, Path.of(log));
    }

    private static String require(Map<String, String> settings, String name) {
        String value = settings.get(name);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("no " + name + "= given (option -o " + name + "=ADDR:PORT or a line in "
                    + DEFAULT_CONFIG + ")");
        }
        return value;
    }

    /** The generic mount flags mount(8) may pass along; anything else is an error rather than silently ignored. */
    private static long flag(String name, long flags) {
        return switch (name) {
            case "ro" -> flags | FuseDevice.MS_RDONLY;
            case "rw" -> flags & ~FuseDevice.MS_RDONLY;
            case "nosuid" -> flags | FuseDevice.MS_NOSUID;
            case "suid" -> flags & ~FuseDevice.MS_NOSUID;
            case "nodev" -> flags | FuseDevice.MS_NODEV;
            case "dev" -> flags & ~FuseDevice.MS_NODEV;
            case "noexec" -> flags | FuseDevice.MS_NOEXEC;
            case "exec" -> flags & ~FuseDevice.MS_NOEXEC;
            case "sync" -> flags | FuseDevice.MS_SYNCHRONOUS;
            case "async" -> flags & ~FuseDevice.MS_SYNCHRONOUS;
            case "noatime" -> flags | FuseDevice.MS_NOATIME;
            case "nodiratime" -> flags | FuseDevice.MS_NODIRATIME;
            case "relatime" -> flags | FuseDevice.MS_RELATIME;
            case "atime", "strictatime" -> flags & ~(FuseDevice.MS_NOATIME | FuseDevice.MS_RELATIME);
            case "defaults", "auto", "noauto", "_netdev", "nofail", "user", "nouser", "users" -> flags;
            default -> throw new IllegalArgumentException("unknown mount option '" + name + "'");
        };
    }

    private static Duration seconds(Map<String, String> settings, String name, Duration fallback) {
        String value = settings.get(name);
        if (value == null) {
            return fallback;
        }
        double seconds = Double.parseDouble(value);
        if (seconds < 0 || seconds > 3600) {
            throw new IllegalArgumentException(name + " must be 0 to 3600 seconds, not " + value);
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    /** {@code ADDR:PORT} (TCP, test mode) or {@code vsock:CID:PORT}. */
    static Transport transport(String peer) {
        String[] parts = peer.split(":");
        try {
            if (parts.length == 3 && parts[0].equals("vsock")) {
                return new Transport.Vsock(new SockAddr.Vsock(SockAddr.Vsock.CID_ANY, SockAddr.Vsock.PORT_ANY),
                        new SockAddr.Vsock(Integer.parseUnsignedInt(parts[1]), Integer.parseInt(parts[2])));
            }
            if (parts.length == 2) {
                return new Transport.Tcp(SockAddr.Inet.of("0.0.0.0", 0), SockAddr.Inet.of(parts[0], Integer.parseInt(parts[1])));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("peer must be ADDR:PORT or vsock:CID:PORT, not '" + peer + "'");
    }
}
