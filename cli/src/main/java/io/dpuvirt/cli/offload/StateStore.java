package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;
import io.dpuvirt.common.config.Whitelist;
import io.dpuvirt.common.fs.AtomicFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The state file of a profile on a side ({@code /run/dpuvirt/offload/PROFILE-SIDE.state}): one change a line, in the
 * order {@code up} made them, as {@link LineFields}. It is replaced atomically after every change, so that a
 * crash leaves it telling exactly what was done; it lives under /run because what it records (running daemons) does
 * not outlive a reboot either.
 */
public final class StateStore {
    public static final Path DEFAULT_DIRECTORY = Path.of("/run/dpuvirt/offload");
    private static final String HEADER = "# dpuvirt offload: what 'up' changed on this side; 'down' undoes it in reverse order\n";

    private final Path directory;
    private final Path file;

    public StateStore(Path directory, String profile, Side side) {
        this.directory = directory;
        this.file = directory.resolve(profile + "-" + side.word() + ".state");
    }

    public Path directory() {
        return directory;
    }

    public Path file() {
        return file;
    }

    /** Whether the state file lies in {@code directory} (its own, or a level above). */
    boolean liesIn(Path directory) {
        return file.startsWith(directory);
    }

    /** The recorded state, or empty when there is no state file (up has not run, or down has finished). */
    public Optional<ProfileState> load() throws ConfigException {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
        return Optional.of(parse(file, text));
    }

    public void save(ProfileState state) throws IOException {
        AtomicFiles.replace(file, render(state).getBytes(StandardCharsets.UTF_8), PosixFilePermissions.fromString("rw-------"));
    }

    public void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    static String render(ProfileState state) {
        StringBuilder out = new StringBuilder(HEADER);
        line(out, "profile", state.profile());
        line(out, "side", state.side().word());
        for (Change change : state.changes()) {
            switch (change) {
                case Change.CreatedDirectory c -> line(out, "directory", c.path().toString());
                case Change.CreatedFile c -> line(out, "file", c.path().toString());
                case Change.AddedWhitelistEntry c -> line(out, "whitelist", c.file().toString(), c.section().fileName(), c.entry());
                case Change.ListedProgram c -> line(out, "program", c.file().toString(), c.program());
                case Change.SetValue c -> {
                    List<String> fields = new ArrayList<>(List.of("setting", c.file().toString(), c.section(), c.key(), c.value()));
                    c.previous().ifPresent(fields::add);
                    line(out, fields.toArray(String[]::new));
                }
                case Change.StartedService c -> line(out, "service", c.name(), c.logCreated() ? "log-created" : "log-existed");
            }
        }
        return out.toString();
    }

    static ProfileState parse(Path source, String text) throws ConfigException {
        String profile = null;
        Side side = null;
        List<Change> changes = new ArrayList<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            int number = i + 1;
            if (lines[i].isBlank() || lines[i].startsWith("#")) {
                continue;
            }
            List<String> fields = LineFields.parse(source, number, lines[i]);
            String kind = fields.getFirst();
            List<String> values = fields.subList(1, fields.size());
            switch (kind) {
                case "profile" -> profile = single(source, number, kind, values);
                case "side" -> {
                    try {
                        side = Side.of(single(source, number, kind, values));
                    } catch (IllegalArgumentException e) {
                        throw new ConfigException(source, number, e.getMessage());
                    }
                }
                default -> changes.add(change(source, number, kind, values));
            }
        }
        if (profile == null || side == null) {
            throw new ConfigException(source, 0, "no 'profile' or 'side' line: not a state file of dpuvirt offload");
        }
        return new ProfileState(profile, side, changes);
    }

    private static Change change(Path source, int number, String kind, List<String> v) throws ConfigException {
        return switch (kind) {
            case "directory" -> new Change.CreatedDirectory(Path.of(fields(source, number, kind, v, 1, 1).getFirst()));
            case "file" -> new Change.CreatedFile(Path.of(fields(source, number, kind, v, 1, 1).getFirst()));
            case "whitelist" -> {
                fields(source, number, kind, v, 3, 3);
                Whitelist.Section section = Whitelist.Section.ofFileName(v.get(1));
                if (section == null) {
                    throw new ConfigException(source, number, "unknown whitelist section '" + v.get(1) + "'");
                }
                yield new Change.AddedWhitelistEntry(Path.of(v.get(0)), section, v.get(2));
            }
            case "program" -> new Change.ListedProgram(Path.of(fields(source, number, kind, v, 2, 2).get(0)), v.get(1));
            case "setting" -> {
                fields(source, number, kind, v, 4, 5);
                yield new Change.SetValue(Path.of(v.get(0)), v.get(1), v.get(2), v.get(3),
                        v.size() == 5 ? Optional.of(v.get(4)) : Optional.empty());
            }
            case "service" -> {
                fields(source, number, kind, v, 2, 2);
                if (!v.get(1).equals("log-created") && !v.get(1).equals("log-existed")) {
                    throw new ConfigException(source, number, "service log must be log-created or log-existed, not '" + v.get(1) + "'");
                }
                yield new Change.StartedService(v.get(0), v.get(1).equals("log-created"));
            }
            default -> throw new ConfigException(source, number, "unknown change '" + kind
                    + "' (directory, file, whitelist, program, setting, service)");
        };
    }

    private static List<String> fields(Path source, int number, String kind, List<String> values, int least, int most)
            throws ConfigException {
        if (values.size() < least || values.size() > most) {
            throw new ConfigException(source, number, "'" + kind + "' needs " + (least == most ? least : least + " to " + most)
                    + " fields, not " + values.size());
        }
        return values;
    }

    private static String single(Path source, int number, String kind, List<String> values) throws ConfigException {
        return fields(source, number, kind, values, 1, 1).getFirst();
    }

    private static void line(StringBuilder out, String... fields) {
        out.append(LineFields.render(List.of(fields))).append('\n');
    }
}
