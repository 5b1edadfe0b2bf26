package io.dpuvirt.daemon;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

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
 * </pre>
 * Anything else is an error naming the file and line: a typo must not silently leave guests on the wrong machine.
 */
public final class VirtdConfigFile {
    public static final Path DEFAULT = Path.of("/etc/dpuvirt/virtd.conf");
    private static final String HOST = "host";
    private static final List<String> HOST_KEYS = List.of("guests", "rexec_socket", "udsproxyd", "link_key");

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
                case KeyFile.Header header when !header.section().equals(HOST) ->
                        throw new ConfigException(file.source(), header.number(), "unknown section [" + header.section()
                                + "] (virtd knows [" + HOST + "])");
                case KeyFile.Entry entry when !HOST_KEYS.contains(entry.key()) ->
                        throw new ConfigException(file.source(), entry.number(), "unknown key '" + entry.key() + "' in ["
                                + HOST + "] (known: " + String.join(", ", HOST_KEYS) + ")");
                case KeyFile.Bare bare -> throw new ConfigException(file.source(), bare.number(), "'" + bare.value()
                        + "' is not KEY=VALUE");
                default -> {
                }
            }
        }
        Optional<KeyFile.Entry> guests = entry(file, "guests");
        Optional<KeyFile.Entry> socket = entry(file, "rexec_socket");
        Optional<KeyFile.Entry> udsproxyd = entry(file, "udsproxyd");
        Optional<KeyFile.Entry> key = entry(file, "link_key");
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

    private static Optional<KeyFile.Entry> entry(KeyFile file, String key) {
        return file.entries(HOST).stream().filter(e -> e.key().equals(key)).reduce((first, second) -> second);
    }
}
