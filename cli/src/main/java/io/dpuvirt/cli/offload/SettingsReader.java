package io.dpuvirt.cli.offload;

import io.dpuvirt.cli.Arguments;
import io.dpuvirt.cli.UsageException;
import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.KeyFile;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An offload's settings from the command line over those of {@code /etc/dpuvirt/offload.conf} (GKeyFile, one section
 * per profile, keys named as the options: {@code side}, {@code key}, {@code local}, {@code peer}, {@code port},
 * {@code vsock=true|false}, {@code emulator=PATH;PATH}). A wrong option is a usage error, a wrong line of the file a
 * configuration error naming file and line.
 */
final class SettingsReader {
    static final Path DEFAULT_FILE = Path.of("/etc/dpuvirt/offload.conf");
    private static final List<String> KEYS = List.of("side", "key", "local", "peer", "port", "vsock", "emulator");

    private SettingsReader() {
    }

    /** A value and where it came from: an option, or a line of the file. */
    private record Source(String value, String option, Optional<KeyFile.Entry> entry, Path file) {
    }

    @FunctionalInterface
    private interface Parser<T> {
        T parse(String text);
    }

    /** Takes the settings' options out of {@code arguments} and merges them over {@code profile}'s section of the file. */
    static OffloadSettings read(Arguments arguments, String profile) throws UsageException, ConfigException {
        Map<String, String> options = new HashMap<>();
        for (String key : KEYS) {
            if (!key.equals("vsock") && !key.equals("emulator")) {
                String value = arguments.option("--" + key);
                if (value != null) {
                    options.put(key, value);
                }
            }
        }
        boolean vsockOption = arguments.flag("--vsock");
        List<String> emulatorOptions = arguments.options("--emulator");
        String config = arguments.option("--config");
        Path file = config == null ? DEFAULT_FILE : Path.of(config).toAbsolutePath();
        KeyFile keyFile = loadFile(file, config != null, profile);

        Optional<Source> side = source(options, keyFile, file, profile, "side");
        if (side.isEmpty()) {
            throw new UsageException("which side is this? give --side host|dpu (or side= under [" + profile + "] in " + file + ")");
        }
        Side sideValue = parse(side.get(), Side::of);
        Optional<Path> key = parse(source(options, keyFile, file, profile, "key"), SettingsReader::absolutePath);
        Optional<String> local = source(options, keyFile, file, profile, "local").map(Source::value);
        Optional<String> peer = source(options, keyFile, file, profile, "peer").map(Source::value);
        int port = parse(source(options, keyFile, file, profile, "port"), SettingsReader::portNumber).orElse(LinkSettings.DEFAULT_PORT);
        boolean vsock = vsockOption || parse(source(options, keyFile, file, profile, "vsock"), SettingsReader::bool).orElse(false);
        Optional<LinkSettings> link = key.isPresent() && local.isPresent() && peer.isPresent()
                ? Optional.of(new LinkSettings(key.get(), local.get(), peer.get(), port, vsock)) : Optional.empty();
        List<Path> emulators = emulatorOptions.isEmpty()
                ? keyFile.list(profile, "emulator").stream().map(Path::of).toList()
                : emulatorOptions.stream().map(e -> Path.of(e).toAbsolutePath()).toList();
        for (Path emulator : emulators) {
            if (!emulator.isAbsolute()) {
                throw new ConfigException(file, lineOf(keyFile, profile, "emulator"), "emulator " + emulator + " is not an absolute path");
            }
        }
        return new OffloadSettings(sideValue, link, emulators);
    }

    /** The file's section for {@code profile}: checked for unknown sections and keys; empty when the file is missing. */
    private static KeyFile loadFile(Path file, boolean mustExist, String profile) throws ConfigException {
        if (!Files.exists(file)) {
            if (mustExist) {
                throw new ConfigException(file, 0, "does not exist (--config)");
            }
            return KeyFile.empty(file);
        }
        KeyFile keyFile = KeyFile.load(file);
        for (KeyFile.Line line : keyFile.lines()) {
            switch (line) {
                case KeyFile.Header header when !header.section().equals(profile) ->
                        throw new ConfigException(file, header.number(), "unknown section [" + header.section() + "] (profiles: libvirt)");
                case KeyFile.Entry entry when !KEYS.contains(entry.key()) ->
                        throw new ConfigException(file, entry.number(), "unknown key '" + entry.key() + "' (known: "
                                + String.join(", ", KEYS) + ")");
                case KeyFile.Bare bare ->
                        throw new ConfigException(file, bare.number(), "'" + bare.value() + "' is not KEY=VALUE");
                default -> {
                }
            }
        }
        return keyFile;
    }

    private static Optional<Source> source(Map<String, String> options, KeyFile keyFile, Path file, String profile, String key) {
        if (options.containsKey(key)) {
            return Optional.of(new Source(options.get(key), "--" + key, Optional.empty(), file));
        }
        return keyFile.entries(profile).stream().filter(entry -> entry.key().equals(key)).findFirst()
                .map(entry -> new Source(entry.rawValue(), "--" + key, Optional.of(entry), file));
    }

    private static int lineOf(KeyFile keyFile, String profile, String key) {
        return keyFile.entries(profile).stream().filter(entry -> entry.key().equals(key)).findFirst().map(KeyFile.Entry::number).orElse(0);
    }

    private static <T> Optional<T> parse(Optional<Source> source, Parser<T> parser) throws UsageException, ConfigException {
        return source.isEmpty() ? Optional.empty() : Optional.of(parse(source.get(), parser));
    }

    private static <T> T parse(Source source, Parser<T> parser) throws UsageException, ConfigException {
        try {
            return parser.parse(source.value());
        } catch (IllegalArgumentException e) {
            if (source.entry().isPresent()) {
                KeyFile.Entry entry = source.entry().get();
                throw new ConfigException(source.file(), entry.number(), entry.key() + "=" + entry.rawValue() + ": " + e.getMessage());
            }
            throw new UsageException(source.option() + " " + source.value() + ": " + e.getMessage());
        }
    }

    private static int portNumber(String text) {
        if (!text.matches("[0-9]{1,5}") || Integer.parseInt(text) < 1 || Integer.parseInt(text) > 65535) {
            throw new IllegalArgumentException("not a port (1 to 65535)");
        }
        return Integer.parseInt(text);
    }

    private static boolean bool(String text) {
        return switch (text) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException("true or false");
        };
    }

    private static Path absolutePath(String text) {
        if (text.isEmpty()) {
            throw new IllegalArgumentException("an empty path");
        }
        return Path.of(text).toAbsolutePath();
    }
}
