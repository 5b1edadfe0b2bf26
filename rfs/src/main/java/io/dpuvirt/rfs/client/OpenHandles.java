package io.dpuvirt.rfs.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The files and directories the kernel has open on this mount, by the handle number the kernel was given. A file
 * remembers the server's handle and the link generation it belongs to: after a reconnect (link loss, server
 * restart) it is re-opened by path with its original flags before its next use.
 */
final class OpenHandles {
    /** An open file. {@code serverHandle} and {@code generation} change when it is re-opened. */
    static final class FileHandle {
        final String path;
        /** The open flags without O_CREAT, O_EXCL and O_TRUNC: what a re-open may repeat. */
        final int reopenFlags;
        volatile long serverHandle;
        volatile long generation;
        /** Set once a POSIX lock was asked for: only then does close(2) need the server (to drop the owner's locks). */
        volatile boolean locked;
        /**
         * Writes are answered once the HOST made them: O_DIRECT, O_SYNC and O_DSYNC opens (qemu's cache=none wants
         * each write's own result) and pseudo files (a write to /proc or /sys is a command, its error its answer).
         */
        final boolean writeThrough;
        final WritesInFlight writes = new WritesInFlight();

        FileHandle(String path, int reopenFlags, long serverHandle, long generation, boolean writeThrough) {
            this.path = path;
            this.reopenFlags = reopenFlags;
            this.serverHandle = serverHandle;
            this.generation = generation;
            this.writeThrough = writeThrough;
        }
    }

    private final Map<Long, FileHandle> files = new ConcurrentHashMap<>();
    private final Map<Long, DirectoryListing> directories = new ConcurrentHashMap<>();
    private final AtomicLong next = new AtomicLong(1);

    long addFile(FileHandle handle) {
        long number = next.getAndIncrement();
        files.put(number, handle);
        return number;
    }

    FileHandle file(long number) {
        return files.get(number);
    }

    FileHandle removeFile(long number) {
        return files.remove(number);
    }

    long addDirectory(DirectoryListing listing) {
        long number = next.getAndIncrement();
        directories.put(number, listing);
        return number;
    }

    DirectoryListing directory(long number) {
        return directories.get(number);
    }

    void removeDirectory(long number) {
        directories.remove(number);
    }
}
