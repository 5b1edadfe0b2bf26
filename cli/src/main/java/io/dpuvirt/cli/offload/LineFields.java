package io.dpuvirt.cli.offload;

import io.dpuvirt.common.config.ConfigException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of the files {@code up} keeps under /run (the state file, the daemons' pid files): fields separated by
 * one space, each with {@code %}, white space and line ends written {@code %XX}, and an empty field written {@code %},
 * so that any path or value fits in a field and a line stays a line.
 */
final class LineFields {
    private LineFields() {
    }

    /** {@code fields} as one line, without its line end. */
    static String render(List<String> fields) {
        StringBuilder out = new StringBuilder();
        for (String field : fields) {
            out.append(out.isEmpty() ? "" : " ").append(encode(field));
        }
        return out.toString();
    }

    /** The fields of line {@code number} of {@code source}; a bad escape is named with file and line. */
    static List<String> parse(Path source, int number, String line) throws ConfigException {
        List<String> fields = new ArrayList<>();
        for (String field : line.split(" ")) {
            fields.add(decode(source, number, field));
        }
        return fields;
    }

    private static String encode(String field) {
        if (field.isEmpty()) {
            return "%";
        }
        StringBuilder out = new StringBuilder();
        for (char c : field.toCharArray()) {
            switch (c) {
                case '%', ' ', '\t', '\n', '\r' -> out.append(String.format("%%%02X", (int) c));
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    private static String decode(Path source, int number, String field) throws ConfigException {
        if (field.equals("%")) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            int high = i + 2 < field.length() ? Character.digit(field.charAt(i + 1), 16) : -1;
            int low = i + 2 < field.length() ? Character.digit(field.charAt(i + 2), 16) : -1;
            if (high < 0 || low < 0) {
                throw new ConfigException(source, number, "'%' without two hexadecimal digits in '" + field + "'");
            }
            out.append((char) (high * 16 + low));
            i += 2;
        }
        return out.toString();
    }
}
