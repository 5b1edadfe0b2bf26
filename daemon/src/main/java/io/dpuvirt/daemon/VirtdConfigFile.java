package io.dpuvirt.daemon;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;
import io.dpuvirt.rpc.server.KeepalivePolicy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * virtd's configuration file ({@code /etc/dpuvirt/virtd.conf}, GKeyFile syntax like the qtfs whitelist), which
 * the command line's options override:
 * <pre>
 * [host]
 * # where the guests run: local (default), or remote: on the HOST, the daemon being on the DPU
 * guests=remote
 * # the HOST's rexec_server socket; default /var/run/rexec/rexec_uds.sock
 * rexec_socket=/var/run/rexec/rexec_uds.sock
 * # the HOST's udsproxyd, dialed by virtd itself (ADDR:PORT, or vsock:CID:PORT), and the link's key file: the
 * # guests' sockets and rexec_server are reached through it alone. Without these two, through the DPU's mirrors.
 * udsproxyd=169.254.77.1:12121
 * link_key=/etc/dpuvirt/link.key
 *
 * [server]
 * # libvirtd.conf's keepalive: a client that asked for it is pinged after keepalive_interval seconds without a
 * # message from it, and let go when keepalive_count PINGs went unanswered; -1 turns the PINGs off. Default 5 and 5
 * keepalive_interval=5
 * keepalive_count=5
 * </pre>
 * Anything else is an error naming the file and line: a typo must not silently leave guests on the wrong machine.
 */
public final class VirtdConfigFile {
    public static final Path DEFAULT = Path.of("/etc/dpuvirt/virtd.conf");
    private static final String HOST = "host";
    private static final List<String> HOST_KEYS = List.of("guests", "rexec_socket", "udsproxyd", "link_key");
    private static final String SERVER = "server";
    private static final List<String> SERVER_KEYS = List.of("keepalive_interval", "keepalive_count");

    private VirtdConfigFile() {
    }

    /** {@code config} with what {@code file} says; a missing default file says nothing. */
    public static VirtdConfig apply(Path file, boolean mustExist, VirtdConfig config) throws ConfigException {
        if (!mustExist && !Files.exists(file)) {
            return config;
        }
        return apply(KeyFile.load(file), config);
    }

    static VirtdConfig apply(KeyFile file, VirtdConfig config) throws ConfigException {
        for (KeyFile.Line line : file.lines()) {
            switch (line) {
                case KeyFile.Header header when !header.section().equals(HOST) && !header.section().equals(SERVER) ->
                        throw new ConfigException(file.source(), header.number(), "unknown section [" + header.section()
                                + "] (virtd knows [" + HOST + "] and [" + SERVER + "])");
                case KeyFile.Entry entry when !keysOf(entry.section()).contains(entry.key()) ->
                        throw new ConfigException(file.source(), entry.number(), "unknown key '" + entry.key() + "' in ["
                                + entry.section() + "] (known: " + String.join(", ", keysOf(entry.section())) + ")");
                case KeyFile.Bare bare -> throw new ConfigException(file.source(), bare.number(), "'" + bare.value()
                        + "' is not KEY=VALUE");
                default -> {
                }
            }
        }
        return keepalive(file, guestHost(file, config));
    }

    private static List<String> keysOf(String section) {
        return section.equals(HOST) ? HOST_KEYS : SERVER_KEYS;
    }

    private static VirtdConfig guestHost(KeyFile file, VirtdConfig config) throws ConfigException {
        Optional<KeyFile.Entry> guests = entry(file, HOST, "guests");
        Optional<KeyFile.Entry> socket = entry(file, HOST, "rexec_socket");
        Optional<KeyFile.Entry> udsproxyd = entry(file, HOST, "udsproxyd");
        Optional<KeyFile.Entry> key = entry(file, HOST, "link_key");
        String where = guests.map(KeyFile.Entry::rawValue).orElse("local");
        for (Optional<KeyFile.Entry> remoteOnly : List.of(socket, udsproxyd, key)) {
            if (remoteOnly.isPresent() && !where.equals("remote")) {
                throw new ConfigException(file.source(), remoteOnly.get().number(), remoteOnly.get().key()
                        + " is for guests=remote");
            }
        }
        return switch (where) {
            case "local" -> guests.isPresent() ? config.withGuestHost(new GuestHost.Local()) : config;
            case "remote" -> config.withGuestHost(new GuestHost.Remote(rexecSocket(file, socket), link(file, udsproxyd, key)));
            default -> throw new ConfigException(file.source(), guests.get().number(), "guests must be local or remote, not '"
                    + where + "'");
        };
    }

    private static VirtdConfig keepalive(KeyFile file, VirtdConfig config) throws ConfigException {
        KeepalivePolicy policy = setting(file, "keepalive_interval", config.keepalive(), KeepaliveSettings::withInterval);
        return config.withKeepalive(setting(file, "keepalive_count", policy, KeepaliveSettings::withCount));
    }

    /** {@code policy} with what {@code key} of [server] says, if the file has it. */
    private static KeepalivePolicy setting(KeyFile file, String key, KeepalivePolicy policy,
                                           BiFunction<KeepalivePolicy, String, KeepalivePolicy> change)
            throws ConfigException {
        Optional<KeyFile.Entry> entry = entry(file, SERVER, key);
        if (entry.isEmpty()) {
            return policy;
        }
        try {
            return change.apply(policy, entry.get().rawValue());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file.source(), entry.get().number(), key + " " + e.getMessage());
        }
    }

    private static Path rexecSocket(KeyFile file, Optional<KeyFile.Entry> socket) throws ConfigException {
        return socket.isEmpty() ? GuestHost.DEFAULT_REXEC_SOCKET : absolutePath(file, socket.get());
    }

    /** Both keys or neither: a link without its key, or a key without the link, is a half-done edit. */
    private static Optional<HostLink> link(KeyFile file, Optional<KeyFile.Entry> udsproxyd, Optional<KeyFile.Entry> key)
            throws ConfigException {
        if (udsproxyd.isEmpty() && key.isEmpty()) {
            return Optional.empty();
        }
        if (udsproxyd.isEmpty() || key.isEmpty()) {
            KeyFile.Entry given = udsproxyd.orElseGet(key::get);
            throw new ConfigException(file.source(), given.number(), "udsproxyd and link_key go together: "
                    + (udsproxyd.isEmpty() ? "udsproxyd (the HOST's ADDR:PORT) is missing" : "link_key (the link's key file) is missing"));
        }
        try {
            return Optional.of(HostLink.of(udsproxyd.get().rawValue(), absolutePath(file, key.get())));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(file.source(), udsproxyd.get().number(), "udsproxyd: " + e.getMessage());
        }
    }

    private static Path absolutePath(KeyFile file, KeyFile.Entry entry) throws ConfigException {
        Path path = Path.of(entry.rawValue());
        if (!path.isAbsolute()) {
            throw new ConfigException(file.source(), entry.number(), entry.key() + " must be an absolute path, not '"
                    + entry.rawValue() + "'");
        }
        return path;
    }

    private static Optional<KeyFile.Entry> entry(KeyFile file, String section, String key) {
        return file.entries(section).stream().filter(e -> e.key().equals(key)).reduce((first, second) -> second);
    }
}
