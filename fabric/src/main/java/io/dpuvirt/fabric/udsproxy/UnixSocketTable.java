package io.dpuvirt.fabric.udsproxy;

import io.dpuvirt.common.net.SocketType;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the listening unix sockets of this network namespace from /proc/net/unix. That table is how a server
 * appearing at any path is noticed without hooking anyone's bind() or listen(): the daemon polls it (a read of a
 * few kilobytes) and compares. Abstract and unnamed sockets are left out: they have no path to whitelist.
 */
public final class UnixSocketTable {
    /** __SO_ACCEPTCON in the Flags column: the socket is listening. */
    private static final long ACCEPTING = 0x10000;
    private final Path table;

    public UnixSocketTable() {
        this(Path.of("/proc/net/unix"));
    }

    UnixSocketTable(Path table) {
        this.table = table;
    }

    public List<ListeningUnixSocket> listening() throws IOException {
        return parse(new String(Files.readAllBytes(table), StandardCharsets.UTF_8));
    }

    /** Columns: Num RefCount Protocol Flags Type St Inode [Path]; the path is the rest of the line. */
    static List<ListeningUnixSocket> parse(String text) {
        List<ListeningUnixSocket> sockets = new ArrayList<>();
        for (String line : text.split("\n")) {
            String[] fields = line.strip().split("\\s+", 8);
            if (fields.length < 8 || !fields[7].startsWith("/")) {
                continue; // the header, unnamed and abstract (@name) sockets
            }
            try {
                if ((Long.parseLong(fields[3], 16) & ACCEPTING) == 0) {
                    continue;
                }
                SocketType type = SocketType.ofCode(Integer.parseInt(fields[4], 16));
                if (type != null) {
                    sockets.add(new ListeningUnixSocket(fields[7], type, Long.parseLong(fields[6])));
                }
            } catch (NumberFormatException e) {
                // a line this parser does not understand is not a socket we can proxy
            }
        }
        return sockets;
    }
}
