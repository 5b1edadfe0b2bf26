package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.Attr;
import io.dpuvirt.rfs.wire.DirEntry;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Socket nodes stay on the DPU. A unix socket is bound to an inode of the machine that binds it, so a socket node
 * made here on the HOST would be useless there and would collide with the HOST's own sockets (the original's
 * {@code .proxy} files). So bind() in an rfs mount makes a node that only this client knows — looked up, listed,
 * stat'ed, renamed and unlinked here — and the HOST's socket nodes are not shown on the DPU: udsproxyd mirrors the
 * ones the whitelist allows, at the same path, as such local sockets.
 */
final class LocalSockets {
    /** A local socket node: its node id and attributes. */
    record Socket(long nodeId, Attr attr) {
    }

    private final Map<String, Socket> byPath = new HashMap<>();
    private final Map<Long, String> pathById = new HashMap<>();

    synchronized Socket at(String path) {
        return byPath.get(path);
    }

    synchronized Socket byId(long nodeId) {
        String path = pathById.get(nodeId);
        return path == null ? null : byPath.get(path);
    }

    synchronized void add(String path, Socket socket) {
        byPath.put(path, socket);
        pathById.put(socket.nodeId(), path);
    }

    synchronized void update(long nodeId, Attr attr) {
        String path = pathById.get(nodeId);
        if (path != null) {
            byPath.put(path, new Socket(nodeId, attr));
        }
    }

    synchronized boolean remove(String path) {
        Socket socket = byPath.remove(path);
        if (socket != null) {
            pathById.remove(socket.nodeId());
        }
        return socket != null;
    }

    synchronized boolean rename(String from, String to) {
        Socket socket = byPath.remove(from);
        if (socket == null) {
            return false;
        }
        byPath.put(to, socket);
        pathById.put(socket.nodeId(), to);
        return true;
    }

    /** The local socket entries directly in {@code directory}. */
    synchronized List<DirEntry> in(String directory) {
        List<DirEntry> entries = new ArrayList<>();
        String prefix = directory.isEmpty() ? "" : directory + "/";
        for (Map.Entry<String, Socket> entry : byPath.entrySet()) {
            String path = entry.getKey();
            if (path.startsWith(prefix) && path.indexOf('/', prefix.length()) < 0) {
                entries.add(new DirEntry(entry.getValue().attr().ino(), DirEntry.DT_SOCK, path.substring(prefix.length())));
            }
        }
        return entries;
    }
}
