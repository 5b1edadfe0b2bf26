package io.dpuvirt.fabric.udsproxy;

/**
 * An explicit mapping: a client connecting to {@code localPath} on this side reaches the server at
 * {@code remotePath} on the other side. Needed where both sides run a server at the same path (rexec_server
 * in the container offload) so that the path itself cannot be mirrored.
 */
public record PathMapping(String localPath, String remotePath) {
    public PathMapping {
        if (!localPath.startsWith("/") || !remotePath.startsWith("/")) {
            throw new IllegalArgumentException("mapping paths must be absolute: " + localPath + "=" + remotePath);
        }
    }

    /** {@code LOCAL=REMOTE}, as given to {@code --map}. */
    public static PathMapping parse(String text) {
        int equals = text.indexOf('=');
        if (equals <= 0 || equals == text.length() - 1) {
            throw new IllegalArgumentException("a mapping is LOCAL_PATH=REMOTE_PATH, got '" + text + "'");
        }
        return new PathMapping(text.substring(0, equals), text.substring(equals + 1));
    }

    @Override
    public String toString() {
        return localPath + " -> " + remotePath;
    }
}
