package io.dpuvirt.common.config;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The GKeyFile format of {@code /etc/qtfs/whitelist}: {@code [Section]} headers, {@code Key=value} entries whose
 * lists are separated by {@code ;}, {@code #} comments. Lines are kept as read so that an edit (qtcfg) rewrites
 * only the entry it changes and leaves comments and other sections alone.
 *
 * <p>One leniency: inside a section a line with no {@code =} is kept as a bare value, because openEuler's
 * container-offload guide writes {@code [Udsconnect]} followed by a bare path; consumers decide whether they accept it.
 */
public final class KeyFile {
    /** Far above any sane whitelist, low enough that a wrong file cannot exhaust memory. */
    public static final long MAX_BYTES = 1 << 20;

    /** One line of the file, classified. */
    public sealed interface Line permits Header, Entry, Bare, Other {
        int number();
    }

    public record Header(int number, String section) implements Line {
    }

    public record Entry(int number, String section, String key, String rawValue) implements Line {
    }

    public record Bare(int number, String section, String value) implements Line {
    }

    /** A comment or blank line. */
    public record Other(int number, String text) implements Line {
    }

    private final Path source;
    private final List<Line> lines;

    private KeyFile(Path source, List<Line> lines) {
        this.source = source;
        this.lines = List.copyOf(lines);
    }

    public static KeyFile empty(Path source) {
        return new KeyFile(source, List.of());
    }

    public static KeyFile load(Path file) throws ConfigException {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_BYTES) {
                throw new ConfigException(file, 0, "larger than " + MAX_BYTES + " bytes");
            }
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw new ConfigException(file, 0, "cannot read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new ConfigException(file, 0, "not valid UTF-8");
        }
        return parse(file, text);
    }

    public static KeyFile parse(Path source, String text) throws ConfigException {
        List<Line> lines = new ArrayList<>();
        String section = null;
        Set<String> seenSections = new LinkedHashSet<>();
        Map<String, Integer> seenKeys = new HashMap<>();
        String[] rows = text.split("\n", -1);
        int count = text.endsWith("\n") ? rows.length - 1 : rows.length;
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            String row = rows[i].endsWith("\r") ? rows[i].substring(0, rows[i].length() - 1) : rows[i];
            String trimmed = row.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                lines.add(new Other(number, row));
            } else if (trimmed.startsWith("[")) {
                if (!trimmed.endsWith("]") || trimmed.length() < 3) {
                    throw new ConfigException(source, number, "malformed section header '" + trimmed + "'");
                }
                section = trimmed.substring(1, trimmed.length() - 1);
                if (section.contains("[") || section.contains("]")) {
                    throw new ConfigException(source, number, "malformed section header '" + trimmed + "'");
                }
                if (!seenSections.add(section)) {
                    throw new ConfigException(source, number, "section [" + section + "] appears twice");
                }
                lines.add(new Header(number, section));
            } else if (section == null) {
                throw new ConfigException(source, number, "'" + trimmed + "' is outside any [Section]");
            } else {
                int equals = row.indexOf('=');
                if (equals < 0) {
                    lines.add(new Bare(number, section, trimmed));
                } else {
                    String key = row.substring(0, equals).strip();
                    if (key.isEmpty()) {
                        throw new ConfigException(source, number, "entry has no key before '='");
                    }
                    // GKeyFile (the original's reader) keeps the last of repeated keys, and silently: a file that
                    // narrows a list on a later line would mean one thing there and another here
                    Integer first = seenKeys.putIfAbsent(section + "\0" + key, number);
                    if (first != null) {
                        throw new ConfigException(source, number, key + "= appears again in [" + section + "] (first at line "
                                + first + "); put all its values on one line, separated by ;");
                    }
                    lines.add(new Entry(number, section, key, row.substring(equals + 1).strip()));
                }
            }
        }
        return new KeyFile(source, lines);
    }

    public Path source() {
        return source;
    }

    public List<Line> lines() {
        return lines;
    }

    public List<String> sections() {
        return lines.stream().filter(Header.class::isInstance).map(l -> ((Header) l).section()).toList();
    }

    public boolean hasSection(String section) {
        return sections().contains(section);
    }

    /** The list value of {@code key} in {@code section}: items split on unescaped {@code ;}, empty items dropped. */
    public List<String> list(String section, String key) {
        for (Line line : lines) {
            if (line instanceof Entry entry && entry.section().equals(section) && entry.key().equals(key)) {
                return splitList(entry.rawValue());
            }
        }
        return List.of();
    }

    /** The entries of {@code section} in file order, with their line numbers (for error messages). */
    public List<Entry> entries(String section) {
        return lines.stream().filter(l -> l instanceof Entry e && e.section().equals(section)).map(Entry.class::cast).toList();
    }

    public List<Bare> bareValues(String section) {
        return lines.stream().filter(l -> l instanceof Bare b && b.section().equals(section)).map(Bare.class::cast).toList();
    }

    /** The value of {@code key} in {@code section} as written (not split into a list), if the key is there. */
    public Optional<String> value(String section, String key) {
        for (Line line : lines) {
            if (line instanceof Entry entry && entry.section().equals(section) && entry.key().equals(key)) {
                return Optional.of(entry.rawValue());
            }
        }
        return Optional.empty();
    }

    /**
     * A copy where {@code section}'s {@code key} holds {@code values}; the key line is replaced in place, or
     * added at the end of the section, or the section is appended to the file. Bare values of the section are
     * folded into the key (they are what the list was made of).
     */
    public KeyFile withList(String section, String key, List<String> values) {
        return with(section, key, joinList(values), true);
    }

    /** A copy where {@code section}'s {@code key} holds the single {@code value}, placed as {@link #withList} places it. */
    public KeyFile withValue(String section, String key, String value) {
        if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || !value.equals(value.strip())) {
            throw new IllegalArgumentException("a key file value is one line without surrounding blanks: '" + value + "'");
        }
        return with(section, key, value, false);
    }

    private KeyFile with(String section, String key, String rawValue, boolean foldBareValues) {
        Entry replacement = new Entry(0, section, key, rawValue);
        List<Line> result = new ArrayList<>();
        boolean written = false;
        for (Line line : lines) {
            boolean isTheKey = line instanceof Entry e && e.section().equals(section) && e.key().equals(key);
            boolean isFoldedBare = foldBareValues && line instanceof Bare b && b.section().equals(section);
            if (isTheKey && !written) {
                result.add(replacement);
                written = true;
            } else if (!isTheKey && !isFoldedBare) {
                result.add(line);
            }
        }
        if (!written) {
            int lastOfSection = -1;
            for (int i = 0; i < result.size(); i++) {
                if (result.get(i) instanceof Header h ? h.section().equals(section) : sectionOf(result.get(i)).equals(section)) {
                    lastOfSection = i;
                }
            }
            if (lastOfSection < 0) {
                result.add(new Header(0, section));
                result.add(replacement);
            } else {
                result.add(lastOfSection + 1, replacement);
            }
        }
        return new KeyFile(source, result);
    }

    /**
     * A copy without {@code section}'s {@code key}. A section left with nothing but blank lines goes as well, header
     * included, so that removing what an edit added leaves the file as it was before the edit.
     */
    public KeyFile withoutKey(String section, String key) {
        List<Line> result = new ArrayList<>(lines.stream()
                .filter(l -> !(l instanceof Entry e && e.section().equals(section) && e.key().equals(key))).toList());
        int header = -1;
        for (int i = 0; i < result.size(); i++) {
            if (result.get(i) instanceof Header h && h.section().equals(section)) {
                header = i;
            }
        }
        if (header < 0) {
            return new KeyFile(source, result);
        }
        int end = header + 1;
        while (end < result.size() && !(result.get(end) instanceof Header)) {
            if (!(result.get(end) instanceof Other other) || !other.text().isBlank()) {
                return new KeyFile(source, result); // the section still holds something
            }
            end++;
        }
        result.subList(header, end).clear();
        return new KeyFile(source, result);
    }

    private static String sectionOf(Line line) {
        return switch (line) {
            case Entry e -> e.section();
            case Bare b -> b.section();
            default -> "";
        };
    }

    public String render() {
        StringBuilder out = new StringBuilder();
        for (Line line : lines) {
            switch (line) {
                case Header h -> out.append('[').append(h.section()).append(']');
                case Entry e -> out.append(e.key()).append('=').append(e.rawValue());
                case Bare b -> out.append(b.value());
                case Other o -> out.append(o.text());
            }
            out.append('\n');
        }
        return out.toString();
    }

    static List<String> splitList(String raw) {
        List<String> items = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '\\' && i + 1 < raw.length()) {
                char next = raw.charAt(++i);
                current.append(switch (next) {
                    case 's' -> ' ';
                    case 'n' -> '\n';
                    case 't' -> '\t';
                    case 'r' -> '\r';
                    default -> next; // \\ and \; stand for themselves
                });
            } else if (c == ';') {
                addItem(items, current);
            } else {
                current.append(c);
            }
        }
        addItem(items, current);
        return List.copyOf(items);
    }

    private static void addItem(List<String> items, StringBuilder current) {
        String item = current.toString().strip();
        if (!item.isEmpty()) {
            items.add(item);
        }
        current.setLength(0);
    }

    static String joinList(List<String> values) {
        StringBuilder out = new StringBuilder();
        for (String value : values) {
            out.append(value.replace("\\", "\\\\").replace(";", "\\;").replace("\n", "\\n")).append(';');
        }
        return out.toString();
    }
}
