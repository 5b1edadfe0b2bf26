package io.dpuvirt.common.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

/**
 * An inotify(7) instance: watches on directories and the events they report. {@link #await} polls with a timeout,
 * so the thread that waits for events can keep a schedule of its own without a second thread. A call class of its
 * own (see {@link Downcalls}): only udsproxyd watches directories. Confined to the thread that opened it.
 */
public final class Inotify implements AutoCloseable {
    public static final int IN_MOVED_FROM = 0x40, IN_MOVED_TO = 0x80, IN_CREATE = 0x100, IN_DELETE = 0x200,
            IN_DELETE_SELF = 0x400, IN_MOVE_SELF = 0x800, IN_Q_OVERFLOW = 0x4000, IN_IGNORED = 0x8000,
            IN_ONLYDIR = 0x0100_0000, IN_DONT_FOLLOW = 0x0200_0000, IN_ISDIR = 0x4000_0000;
    private static final int IN_NONBLOCK = 04000, IN_CLOEXEC = 02000000;
    private static final short POLLIN = 0x1;
    /** Room for at least 60 events with the longest names (16 bytes + NAME_MAX + 1 each). */
    private static final int BUFFER_BYTES = 16 * 1024;
    private static final MethodHandle INIT1 = Downcalls.errnoCall("inotify_init1", -1, JAVA_INT, JAVA_INT);
    private static final MethodHandle ADD_WATCH = Downcalls.errnoCall("inotify_add_watch", -1, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT);
    private static final MethodHandle RM_WATCH = Downcalls.errnoCall("inotify_rm_watch", -1, JAVA_INT, JAVA_INT, JAVA_INT);

    /** One event: the watch it came from (-1 for IN_Q_OVERFLOW), its {@code IN_*} bits, the entry's name ("" for the directory itself). */
    public record Event(int watch, int mask, String name) {
        public boolean is(int bits) {
            return (mask & bits) != 0;
        }
    }

    private final int fd;
    private final Arena arena = Arena.ofConfined();
    private final MemorySegment buffer = arena.allocate(BUFFER_BYTES, 8);
    private final MemorySegment pollFd = arena.allocate(8, 4);

    private Inotify(int fd) {
        this.fd = fd;
        pollFd.set(JAVA_INT, 0, fd);
        pollFd.set(JAVA_SHORT, 4, POLLIN);
    }

    /** A new instance; EMFILE when the user's fs.inotify.max_user_instances are taken. */
    public static Inotify open() throws LinuxException {
        return new Inotify((int) Downcalls.checked("inotify_init1", null, c -> (int) INIT1.invokeExact(c, IN_NONBLOCK | IN_CLOEXEC)));
    }

    /**
     * Watches {@code directory} for the events in {@code mask} and returns the watch's number; watching a directory
     * again (by any path) returns the same number and replaces its mask. ENOSPC when fs.inotify.max_user_watches
     * are taken.
     */
    public int watch(Path directory, int mask) throws LinuxException {
        try (Arena call = Arena.ofConfined()) {
            MemorySegment path = call.allocateFrom(directory.toString());
            return (int) Downcalls.checked("inotify_add_watch", directory, c -> (int) ADD_WATCH.invokeExact(c, fd, path, mask));
        }
    }

    /** Ends a watch; one that already ended (its directory was removed) is no error. An IN_IGNORED event follows. */
    public void unwatch(int watch) {
        try {
            Downcalls.checked("inotify_rm_watch", null, c -> (int) RM_WATCH.invokeExact(c, fd, watch));
        } catch (LinuxException e) {
            // EINVAL: the kernel had ended it already
        }
    }

    /** The events that arrive within {@code timeoutMillis} (-1: no limit), as soon as there are any; none after the timeout. */
    public List<Event> await(int timeoutMillis) throws LinuxException {
        pollFd.set(JAVA_SHORT, 6, (short) 0);
        if (Libc.poll(pollFd, 1, timeoutMillis) == 0) {
            return List.of();
        }
        long length;
        try {
            length = Libc.read(fd, buffer, buffer.byteSize());
        } catch (LinuxException e) {
            if (e.is(Errno.EAGAIN)) {
                return List.of();
            }
            throw e;
        }
        // struct inotify_event: int wd; u32 mask, cookie, len; char name[len] (NUL-padded)
        List<Event> events = new ArrayList<>();
        for (long offset = 0; offset < length; offset += 16 + buffer.get(JAVA_INT, offset + 12)) {
            int nameLength = buffer.get(JAVA_INT, offset + 12);
            String name = nameLength == 0 ? "" : buffer.getString(offset + 16);
            events.add(new Event(buffer.get(JAVA_INT, offset), buffer.get(JAVA_INT, offset + 4), name));
        }
        return events;
    }

    @Override
    public void close() {
        Libc.close(fd);
        arena.close();
    }
}
