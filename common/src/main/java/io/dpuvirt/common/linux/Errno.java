package io.dpuvirt.common.linux;

import java.util.Map;

/** The errno values dpuvirt reacts to by number, with their symbolic names for messages. */
public final class Errno {
    public static final int EPERM = 1, ENOENT = 2, ESRCH = 3, EINTR = 4, EIO = 5, ENXIO = 6, EBADF = 9, ECHILD = 10,
            EAGAIN = 11, ENOMEM = 12, EACCES = 13, EEXIST = 17, EXDEV = 18, ENOTDIR = 20, EISDIR = 21, EINVAL = 22,
            ENFILE = 23, EMFILE = 24, ENOSPC = 28, ESPIPE = 29, EROFS = 30, EPIPE = 32, ERANGE = 34, ENAMETOOLONG = 36,
            ENOSYS = 38, ENOTEMPTY = 39, ELOOP = 40, ENODATA = 61, ENOTSOCK = 88, EMSGSIZE = 90, EPROTOTYPE = 91,
            EOPNOTSUPP = 95, EADDRINUSE = 98, EADDRNOTAVAIL = 99, ENETUNREACH = 101, ECONNABORTED = 103,
            ECONNRESET = 104, ENOTCONN = 107, ETIMEDOUT = 110, ECONNREFUSED = 111, EHOSTUNREACH = 113, EINPROGRESS = 115;
    /** rfs: a busy mount point, an unmounted FUSE device, a file handle the server no longer knows. */
    public static final int EBUSY = 16, ENODEV = 19, ESTALE = 116;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(ENOENT, "ENOENT"), Map.entry(ESRCH, "ESRCH"),
            Map.entry(EINTR, "EINTR"), Map.entry(EIO, "EIO"), Map.entry(ENXIO, "ENXIO"), Map.entry(EBADF, "EBADF"),
            Map.entry(ECHILD, "ECHILD"), Map.entry(EAGAIN, "EAGAIN"), Map.entry(ENOMEM, "ENOMEM"),
            Map.entry(EACCES, "EACCES"), Map.entry(EEXIST, "EEXIST"), Map.entry(EXDEV, "EXDEV"),
            Map.entry(ENOTDIR, "ENOTDIR"), Map.entry(EISDIR, "EISDIR"), Map.entry(EINVAL, "EINVAL"),
            Map.entry(ENFILE, "ENFILE"), Map.entry(EMFILE, "EMFILE"), Map.entry(ENOSPC, "ENOSPC"),
            Map.entry(ESPIPE, "ESPIPE"), Map.entry(EROFS, "EROFS"), Map.entry(EPIPE, "EPIPE"),
            Map.entry(ERANGE, "ERANGE"), Map.entry(ENAMETOOLONG, "ENAMETOOLONG"), Map.entry(ENOSYS, "ENOSYS"),
            Map.entry(ENOTEMPTY, "ENOTEMPTY"), Map.entry(ELOOP, "ELOOP"), Map.entry(ENODATA, "ENODATA"),
            Map.entry(ENOTSOCK, "ENOTSOCK"), Map.entry(EMSGSIZE, "EMSGSIZE"), Map.entry(EPROTOTYPE, "EPROTOTYPE"),
            Map.entry(EOPNOTSUPP, "EOPNOTSUPP"), Map.entry(EADDRINUSE, "EADDRINUSE"),
            Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"), Map.entry(ENETUNREACH, "ENETUNREACH"),
            Map.entry(ECONNABORTED, "ECONNABORTED"), Map.entry(ECONNRESET, "ECONNRESET"),
            Map.entry(ENOTCONN, "ENOTCONN"), Map.entry(ETIMEDOUT, "ETIMEDOUT"),
            Map.entry(ECONNREFUSED, "ECONNREFUSED"), Map.entry(EHOSTUNREACH, "EHOSTUNREACH"), Map.entry(EINPROGRESS, "EINPROGRESS"),
            Map.entry(EBUSY, "EBUSY"), Map.entry(ENODEV, "ENODEV"), Map.entry(ESTALE, "ESTALE"));

    private Errno() {
    }

    public static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** {@code ECONNREFUSED (Connection refused)}. */
    public static String describe(int errno) {
        return name(errno) + " (" + Downcalls.strerror(errno) + ")";
    }
}
