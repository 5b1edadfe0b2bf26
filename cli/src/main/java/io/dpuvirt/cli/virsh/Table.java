package io.dpuvirt.cli.virsh;

import java.util.ArrayList;
import java.util.List;

/**
 * virsh's tables (vsh-table.c): each cell after a space, columns padded to their widest cell plus two
 * spaces (the last one not padded), a line of dashes three wider than each column under the header.
 * Without the header (quiet mode) the widths ignore it too.
 */
final class Table {
    private final List<String> header;
    private final List<List<String>> rows = new ArrayList<>();

    Table(String... header) {
        this.header = List.of(header);
    }

    void add(String... cells) {
        rows.add(List.of(cells));
    }

    String format(boolean withHeader) {
        int[] widths = new int[header.size()];
        List<List<String>> measured = new ArrayList<>(rows);
        if (withHeader) {
            measured.add(header);
        }
        for (List<String> row : measured) {
            for (int i = 0; i < row.size(); i++) {
                widths[i] = Math.max(widths[i], row.get(i).codePointCount(0, row.get(i).length()));
            }
        }
        StringBuilder out = new StringBuilder();
        if (withHeader) {
            appendRow(out, header, widths);
            for (int width : widths) {
                out.append("-".repeat(width + 3));
            }
            out.append('\n');
        }
        rows.forEach(row -> appendRow(out, row, widths));
        return out.toString();
    }

    private static void appendRow(StringBuilder out, List<String> row, int[] widths) {
        for (int i = 0; i < row.size(); i++) {
            String cell = row.get(i);
            out.append(' ').append(cell);
            if (i < row.size() - 1) {
                out.append(" ".repeat(widths[i] - cell.codePointCount(0, cell.length()) + 2));
            }
        }
        out.append('\n');
    }
}
