package io.dpuvirt.fabric.rexec;

import java.nio.file.Path;

/**
 * Where a detached program's stdout and stderr go on the server's machine: files it appends to (created with mode
 * 0600 when missing; a symlink as the last component is refused), or /dev/null for an empty path. Nothing of a
 * detached program's output comes back through rexec, and its stdin is /dev/null.
 */
public record DetachedOutput(ByteString stdout, ByteString stderr) {
    /** Both to /dev/null. */
    public static final DetachedOutput DISCARD = new DetachedOutput(ByteString.EMPTY, ByteString.EMPTY);

    public DetachedOutput {
        for (ByteString path : new ByteString[] {stdout, stderr}) {
            if (path.length() > 0 && (path.byteAt(0) != '/' || path.indexOf((byte) 0) >= 0)) {
                throw new IllegalArgumentException("a detached program's output goes to an absolute path on the server's machine, not " + path);
            }
        }
    }

    public static DetachedOutput appendTo(Path stdout, Path stderr) {
        return new DetachedOutput(ByteString.of(stdout.toString()), ByteString.of(stderr.toString()));
    }
}
