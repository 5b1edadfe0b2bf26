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
 * # the HOST's rexec_server as the DPU reaches it (udsproxyd's mirror); default /var/run/rexec/rexec_uds.sock
 * rexec_socket=/var/run/rexec/rexec_uds.sock
 * </pre>
 * Anything else is an error naming the file and line: a typo must not silently leave guests on the wrong machine.
 */
public final class VirtdConfigFile {
    public static final Path DEFAULT = Path.of("/etc/dpuvirt/virtd.conf");
    private static final String HOST = "host";
    private static final List<String> HOST_KEYS = List.of("guests", "rexec_socket");

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
        String where = guests.map(KeyFile.Entry::rawValue).orElse("local");
        if (socket.isPresent() && !where.equals("remote")) {
            throw new ConfigException(file.source(), socket.get().number(), "rexec_socket is for guests=remote");
        }
        return switch (where) {
            case "local" -> guests.isPresent() ? config.withGuestHost(new GuestHost.Local()) : config;
            case "remote" -> config.withGuestHost(new GuestHost.Remote(rexecSocket(file, socket)));
            default -> throw new ConfigException(file.source(), guests.get().number(), "guests must be local or remote, not '"
                    + where + "'");
        };
    }

    private static Path rexecSocket(KeyFile file, Optional<KeyFile.Entry> socket) throws ConfigException {
        if (socket.isEmpty()) {
            return GuestHost.DEFAULT_REXEC_SOCKET;
        }
        Path path = Path.of(socket.get().rawValue());
        if (!path.isAbsolute()) {
            throw new ConfigException(file.source(), socket.get().number(), "rexec_socket must be an absolute path, not '"
                    + socket.get().rawValue() + "'");
        }
        return path;
    }

    private static Optional<KeyFile.Entry> entry(KeyFile file, String key) {
        return file.entries(HOST).stream().filter(e -> e.key().equals(key)).reduce((first, second) -> second);
    }
}
