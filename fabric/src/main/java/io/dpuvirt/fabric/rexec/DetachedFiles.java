package io.dpuvirt.fabric.rexec;

import java.nio.file.Path;

/**
 * A detached program's files on the server's machine. Its stdout and stderr go to files it appends to (created with
 * mode 0600 when missing, their missing directories too, all beneath the server's --output-dir; a symlink as the
 * last component is refused), or to /dev/null for an empty path. Its run directory (empty: none) is made before it
 * starts, the client's and 0700, beneath one of the server's --state-dir, as MKDIR_PRIVATE does: a hypervisor's
 * sockets and pid file go there, and the server removes it after the end when it tells a watching client: on the
 * connection that started the program, if the client kept it, or on a WATCH naming it. Nothing of a detached program's
 * output comes back through rexec, and its stdin is /dev/null.
 */
public record DetachedFiles(ByteString stdout, ByteString stderr, ByteString runDirectory) {
    /** Output to /dev/null, no run directory. */
    public static final DetachedFiles DISCARD = new DetachedFiles(ByteString.EMPTY, ByteString.EMPTY, ByteString.EMPTY);

    public DetachedFiles {
        for (ByteString path : new ByteString[] {stdout, stderr, runDirectory}) {
            if (path.length() > 0 && (path.byteAt(0) != '/' || path.indexOf((byte) 0) >= 0)) {
                throw new IllegalArgumentException("a detached program's files are at absolute paths on the server's machine, not " + path);
            }
        }
    }

    /** Output appended to these files, no run directory. */
    public static DetachedFiles appendTo(Path stdout, Path stderr) {
        return new DetachedFiles(ByteString.of(stdout.toString()), ByteString.of(stderr.toString()), ByteString.EMPTY);
    }

    public DetachedFiles withRunDirectory(Path directory) {
        return new DetachedFiles(stdout, stderr, ByteString.of(directory.toString()));
    }
}
