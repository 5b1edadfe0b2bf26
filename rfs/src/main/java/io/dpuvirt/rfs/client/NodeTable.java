package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.Attr;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.SequencedSet;

/**
 * The kernel's node ids and the paths they stand for. rfs names nodes by path (relative to the export root) so
 * that the server keeps no per-node state and a restarted server is understood at once.
 *
 * <p>One HOST inode is one node id, as on a local file system: the names of a hard-linked file are aliases of
 * one node (so a new link shows in the link count of every name at once). A path found again with a different
 * HOST inode (the file was replaced on the HOST) gets a new id, so the kernel never mixes two files up. Renames
 * and removals made through this mount move or drop paths here too.
 */
final class NodeTable {
    /** One node id: its names (none once removed), the HOST inode, and the kernel's reference count. */
    static final class Node {
        final long id;
        final SequencedSet<String> paths = new LinkedHashSet<>();
        final Inode inode;
        final boolean directory;
        long lookups;

        Node(long id, Inode inode, boolean directory) {
            this.id = id;
            this.inode = inode;
            this.directory = directory;
        }

        /** The name the HOST confirmed last (see {@link NodeTable#found}). */
        String path() {
            return paths.isEmpty() ? null : paths.getFirst();
        }
    }

    /** A HOST inode: device and number. */
    record Inode(long dev, long ino) {
        boolean holds(Attr attr) {
            return dev == attr.dev() && ino == attr.ino();
        }
    }

    public static final long ROOT = 1;

    private final Map<Long, Node> byId = new HashMap<>();
    private final Map<String, Node> byPath = new HashMap<>();
    private final Map<Inode, Node> byInode = new HashMap<>();
    private long nextId = ROOT + 1;

    NodeTable(Attr root) {
        Node node = new Node(ROOT, new Inode(root.dev(), root.ino()), true);
        node.lookups = 1;
        node.paths.add("");
        byId.put(ROOT, node);
        byPath.put("", node);
    }

    /** A path of a node id, or null if the kernel names a node this table does not know (or that has no name left). */
    synchronized String path(long id) {
        Node node = byId.get(id);
        return node == null ? null : node.path();
    }

    /** Whether node {@code id} stands for the HOST inode these attributes are of. */
    synchronized boolean holds(long id, Attr attr) {
        Node node = byId.get(id);
        return node != null && node.inode.holds(attr);
    }

    /** The id of the node named {@code path}, or 0 if the kernel holds none by that name. */
    synchronized long idAt(String path) {
        Node node = byPath.get(path);
        return node == null ? 0 : node.id;
    }

    /** The HOST inode of the node named {@code path}, or null if the kernel holds none by that name. */
    synchronized Inode inodeAt(String path) {
        Node node = byPath.get(path);
        return node == null ? null : node.inode;
    }

    /** Records one more kernel reference to the node at {@code path} with these attributes; returns its id. */
    synchronized long found(String path, Attr attr) {
        Inode inode = new Inode(attr.dev(), attr.ino());
        Node node = byPath.get(path);
        if (node != null && !node.inode.equals(inode)) {
            unmap(path);
            node = null;
        }
        if (node == null) {
            node = attr.isDirectory() ? null : byInode.get(inode);
            if (node == null) {
                node = new Node(nextId++, inode, attr.isDirectory());
                byId.put(node.id, node);
                if (!attr.isDirectory()) {
                    byInode.put(inode, node);
                }
            }
            byPath.put(path, node);
        }
        // the name the HOST confirmed last comes first: after a rename on the HOST (a log rotated) the node's
        // other name may be gone or be another file's, and requests must not go there
        node.paths.addFirst(path);
        node.lookups++;
        return node.id;
    }

    /** A node id for something that has no HOST path (a local socket node), referenced once. */
    synchronized long newLocal() {
        Node node = new Node(nextId++, new Inode(-1, nextId), false);
        node.lookups = 1;
        byId.put(node.id, node);
        return node.id;
    }

    /** One more kernel reference to a node handed out again without a lookup on the HOST (a local socket node). */
    synchronized void refer(long id) {
        byId.computeIfAbsent(id, key -> new Node(key, new Inode(-1, key), false)).lookups++;
    }

    synchronized void forget(long id, long count) {
        Node node = byId.get(id);
        if (node == null || id == ROOT) {
            return;
        }
        node.lookups -= count;
        if (node.lookups <= 0) {
            byId.remove(id);
            byInode.remove(node.inode, node);
            for (String path : node.paths) {
                byPath.remove(path, node);
            }
        }
    }

    /** The name at {@code path} is gone (unlink, rmdir); the node keeps its id and its other names. */
    synchronized void removed(String path) {
        unmap(path);
    }

    private void unmap(String path) {
        Node node = byPath.remove(path);
        if (node != null) {
            node.paths.remove(path);
        }
    }

    /** A rename through this mount: the name moves and, for a directory, every name below it. */
    synchronized void renamed(String from, String to, boolean exchange) {
        Node moving = byPath.get(from);
        Node displaced = byPath.get(to);
        Map<String, Node> renamedNames = new HashMap<>();
        if (moving != null) {
            renamedNames.put(to, moving);
            if (moving.directory) {
                renamedNames.putAll(rebased(from, to));
            }
        }
        if (displaced != null && exchange) {
            renamedNames.put(from, displaced);
            if (displaced.directory) {
                renamedNames.putAll(rebased(to, from));
            }
        }
        // first every old name goes, then the new ones come: in an exchange the two sets overlap
        unmap(from);
        unmap(to);
        if (moving != null && moving.directory || displaced != null && displaced.directory) {
            for (String name : List.copyOf(byPath.keySet())) {
                if (name.startsWith(from + "/") || name.startsWith(to + "/")) {
                    unmap(name);
                }
            }
        }
        renamedNames.forEach((name, node) -> {
            node.paths.add(name);
            byPath.put(name, node);
        });
    }

    /** The names below directory {@code from}, re-based onto {@code to}. */
    private Map<String, Node> rebased(String from, String to) {
        String prefix = from + "/";
        Map<String, Node> names = new HashMap<>();
        byPath.forEach((name, node) -> {
            if (name.startsWith(prefix)) {
                names.put(to + name.substring(from.length()), node);
            }
        });
        return names;
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "/" + name;
    }
}
