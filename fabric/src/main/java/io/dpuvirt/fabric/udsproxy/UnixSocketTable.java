package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the listening unix sockets of this network namespace from /proc/net/unix. That table is how a server
 * appearing at any path is noticed without hooking anyone's bind() or listen(): the daemon polls it and parses
 * it only when its text changed. Abstract and unnamed sockets are left out: they have no path to whitelist.
 * Not thread-safe: one scanner uses it.
 */
public final class UnixSocketTable {
    /** __SO_ACCEPTCON in the Flags column: the socket is listening. */
    private static final long ACCEPTING = 0x10000;
    private final Path table;
    private byte[] lastText = new byte[0];
    private List<ListeningUnixSocket> lastParsed = List.of();

    public UnixSocketTable() {
        this(Path.of("/proc/net/unix"));
    }

    UnixSocketTable(Path table) {
        this.table = table;
    }

    /** The listening sockets now; the table is only parsed again when its text changed since the last call. */
    public List<ListeningUnixSocket> listening() throws IOException {
        byte[] text = Files.readAllBytes(table);
        if (!Arrays.equals(text, lastText)) {
            lastText = text;
            lastParsed = parse(new String(text, StandardCharsets.UTF_8));
        }
        return lastParsed;
    }

    /** Columns: Num RefCount Protocol Flags Type St Inode [Path]; the path is the rest of the line. */
    static List<ListeningUnixSocket> parse(String text) {
        List<ListeningUnixSocket> sockets = new ArrayList<>();
        int lineStart = text.indexOf('\n') + 1; // past the header
        while (lineStart > 0 && lineStart < text.length()) {
            int lineEnd = text.indexOf('\n', lineStart);
            if (lineEnd < 0) {
                lineEnd = text.length();
            }
            ListeningUnixSocket socket = parseLine(text, lineStart, lineEnd);
            if (socket != null) {
                sockets.add(socket);
            }
            lineStart = lineEnd + 1;
        }
        return List.copyOf(sockets);
    }

    /** A listening socket with a path from one line, or null (unnamed, abstract, not listening, unknown type). */
    private static ListeningUnixSocket parseLine(String text, int start, int end) {
        long[] fields = new long[6]; // Num RefCount Protocol Flags Type St, all hexadecimal
        int position = start;
        for (int i = 0; i < fields.length; i++) {
            position = skipSpaces(text, position, end);
            int fieldEnd = position;
            while (fieldEnd < end && text.charAt(fieldEnd) != ' ') {
                fieldEnd++;
            }
            if (i == 3 || i == 4) { // Num ends with ':' and is not needed; Flags and Type are
                try {
                    fields[i] = Long.parseLong(text, position, fieldEnd, 16);
                } catch (NumberFormatException e) {
                    return null;
                }
            }
            position = fieldEnd;
        }
        position = skipSpaces(text, position, end);
        int inodeEnd = position;
        while (inodeEnd < end && text.charAt(inodeEnd) != ' ') {
            inodeEnd++;
        }
        int pathStart = skipSpaces(text, inodeEnd, end);
        if ((fields[3] & ACCEPTING) == 0 || pathStart >= end || text.charAt(pathStart) != '/') {
            return null;
        }
        SocketType type = SocketType.ofCode((int) fields[4]);
        try {
            long inode = Long.parseLong(text, position, inodeEnd, 10);
            return type == null ? null : new ListeningUnixSocket(text.substring(pathStart, end), type, inode);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int skipSpaces(String text, int position, int end) {
        while (position < end && text.charAt(position) == ' ') {
            position++;
        }
        return position;
    }
}
