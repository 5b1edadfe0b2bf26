package io.dpuvirt.cli.virsh;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * A libvirt connection URI as the client side reads it: {@code driver[+transport]://[host]/path[?params]}.
 * Only local unix sockets are reached (transport {@code unix}, or none): the socket is {@code ?socket=},
 * else the driver's own daemon socket when it exists ({@code virtqemud-sock}), else libvirtd's
 * {@code /var/run/libvirt/libvirt-sock}. What the daemon is told ({@link #remoteName()}) is the URI
 * without transport and without the client's parameters, as libvirt's remote driver sends it.
 * <p>
 * Unlike libvirt's virsh, {@code test:///default} is not run inside the client: it reaches the daemon.
 */
public record ConnectionUri(String original, String remoteName, Path socket) {
    static final Path RUN_DIRECTORY = Path.of("/var/run/libvirt");
    static final Path LEGACY_SOCKET = RUN_DIRECTORY.resolve("libvirt-sock");
    /** Parameters the remote driver consumes itself and never sends to the daemon. */
    private static final List<String> CLIENT_PARAMETERS = List.of("socket", "mode", "proxy", "name", "command",
            "netcat", "keyfile", "sshauth", "no_verify", "no_tty", "pkipath", "known_hosts", "known_hosts_verify",
            "tls_priority", "tls_dir");

    /** No URI at all: libvirtd's socket, and the daemon picks the driver. */
    public static ConnectionUri daemonDefault() {
        return new ConnectionUri("", "", LEGACY_SOCKET);
    }

    public static ConnectionUri parse(String uri) throws VirshException {
        URI parsed;
        try {
            parsed = new URI(uri);
        } catch (URISyntaxException e) {
            throw new VirshException("failed to connect to the hypervisor", "internal error: Unable to parse URI " + uri);
        }
        String scheme = Optional.ofNullable(parsed.getScheme())
                .orElseThrow(() -> new VirshException("failed to connect to the hypervisor",
                        "no connection driver available for " + uri));
        int plus = scheme.indexOf('+');
        String driver = plus < 0 ? scheme : scheme.substring(0, plus);
        String transport = plus < 0 ? "unix" : scheme.substring(plus + 1);
        if (!transport.equals("unix") || parsed.getHost() != null) {
            throw new VirshException("failed to connect to the hypervisor", "transport '"
                    + (parsed.getHost() != null && plus < 0 ? "tls" : transport) + "' of " + uri
                    + " is not supported: this virsh reaches daemons on local unix sockets only");
        }
        Optional<String> socketParameter = Optional.empty();
        List<String> kept = new ArrayList<>();
        if (parsed.getRawQuery() != null) {
            for (String parameter : parsed.getRawQuery().split("&")) {
                int equals = parameter.indexOf('=');
                String key = unescape(equals < 0 ? parameter : parameter.substring(0, equals));
                if (key.equals("socket")) {
                    socketParameter = Optional.of(unescape(equals < 0 ? "" : parameter.substring(equals + 1)));
                } else if (!CLIENT_PARAMETERS.contains(key)) {
                    kept.add(parameter);
                }
            }
        }
        String path = parsed.getRawPath() == null ? "" : parsed.getRawPath();
        String remote = driver + "://" + path + (kept.isEmpty() ? "" : "?" + String.join("&", kept));
        Path socket = socketParameter.map(Path::of).orElseGet(() -> defaultSocket(driver));
        return new ConnectionUri(uri, remote, socket);
    }

    /**
     * A parameter's name or value with its {@code %XX} escapes decoded, as libvirt's virURIParseParams does;
     * unlike in a form, {@code +} stays a plus.
     */
    private static String unescape(String text) {
        byte[] raw = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream decoded = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == '%' && i + 2 < raw.length && HexFormat.isHexDigit(raw[i + 1]) && HexFormat.isHexDigit(raw[i + 2])) {
                decoded.write(HexFormat.fromHexDigit(raw[i + 1]) << 4 | HexFormat.fromHexDigit(raw[i + 2]));
                i += 2;
            } else {
                decoded.write(raw[i]);
            }
        }
        return decoded.toString(StandardCharsets.UTF_8);
    }

    /** libvirt's "auto" mode: the driver's own daemon when it runs, libvirtd otherwise. */
    private static Path defaultSocket(String driver) {
        Path direct = RUN_DIRECTORY.resolve("virt" + driver + "d-sock");
        return Files.exists(direct) ? direct : LEGACY_SOCKET;
    }
}
