package io.dpuvirt.rfs.client;

import io.dpuvirt.rfs.wire.DirEntry;

import java.util.List;

/**
 * An open directory: the entries are fetched from the server when the kernel reads from offset 0 and then served
 * from here by index, so offsets stay valid however the kernel splits its reads. The DPU's own socket nodes in
 * the directory are added; the HOST's socket nodes are left out (see {@link LocalSockets}).
 */
final class DirectoryListing {
    final String path;
    private volatile List<DirEntry> entries;

    DirectoryListing(String path) {
        this.path = path;
    }

    List<DirEntry> entries() {
        return entries;
    }

    void entries(List<DirEntry> fetched) {
        entries = List.copyOf(fetched);
    }
}
