package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.linux.LinuxException;
import io.dpuvirt.common.log.Log;
import io.dpuvirt.common.net.SocketType;
import io.dpuvirt.common.net.UnixSocketDiag;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the listening unix sockets of this network namespace from /proc/net/unix. That table is how a server
 * appearing at any path is noticed without hooking anyone's bind() or listen(): the daemon polls it and parses
 * it only when its text changed. Abstract and unnamed sockets are left out: they have no path to whitelist.
 *
 * <p>The table's text is not one snapshot: while other sockets come and go, a read can leave out a socket that
 * stays ({@link UnixSocketDiag}). A scan that lost the rexec_server socket made the peer close its mirror, and the
 * 34 clients waiting in the mirror's backlog were reset (RexecTest's hundred sessions, in CI). So a listening socket
 * of the last listing that a new one leaves out is asked after by its inode, and kept while the kernel still has
 * it listening. Not thread-safe: one scanner uses it.
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
            List<ListeningUnixSocket> parsed = parse(new String(text, StandardCharsets.UTF_8));
            List<ListeningUnixSocket> leftOut = stillListening(lastParsed, parsed);
            // a listing completed from the kernel is not this text's: the next read is parsed again
            lastText = leftOut.isEmpty() ? text : null;
            lastParsed = leftOut.isEmpty() ? parsed : concat(parsed, leftOut);
        }
        return lastParsed;
    }

    /** The sockets of {@code before} that {@code now} leaves out but the kernel still has listening. */
    private static List<ListeningUnixSocket> stillListening(List<ListeningUnixSocket> before, List<ListeningUnixSocket> now) {
        Set<Long> listed = new HashSet<>();
        for (ListeningUnixSocket socket : now) {
            listed.add(socket.inode());
        }
        List<ListeningUnixSocket> leftOut = new ArrayList<>();
        for (ListeningUnixSocket socket : before) {
            if (!listed.contains(socket.inode()) && listeningNow(socket)) {
                leftOut.add(socket);
            }
        }
        return leftOut;
    }

    private static boolean listeningNow(ListeningUnixSocket socket) {
        try {
            return UnixSocketDiag.isListening(socket.inode());
        } catch (LinuxException e) {
            Log.debug("cannot ask the kernel after " + socket.path() + ", taken as gone: " + e.getMessage());
            return false;
        }
    }

    private static List<ListeningUnixSocket> concat(List<ListeningUnixSocket> first, List<ListeningUnixSocket> second) {
        List<ListeningUnixSocket> all = new ArrayList<>(first);
        all.addAll(second);
        return List.copyOf(all);
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
