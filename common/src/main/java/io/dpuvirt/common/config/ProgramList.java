package io.dpuvirt.common.config;

import io.dpuvirt.common.fs.CanonicalPaths;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The format of {@code /etc/rexec/whitelist}: the programs rexec_server may start, one absolute path a line ({@code #}
 * comments and blank lines allowed). The file must be owned by root and writable by nobody else, and so must every
 * directory on its way, symlinks included (a sticky directory such as /tmp is fine): otherwise someone else could
 * change what it allows.
 * Paths are byte strings: a program's name need not be valid UTF-8.
 */
public final class ProgramList {
    private static final int MAX_BYTES = 1 << 20, MAX_PATH_BYTES = 4095;
    private static final int GROUP_OR_OTHER_WRITE = 0022, STICKY = 01000;

    private ProgramList() {
    }

    /**
     * The file and every directory its path goes through, symlinks followed one hop at a time: owned by root,
     * writable by nobody else (sticky directories excepted, where a symlink must then be root's, as only its owner
     * could replace it). Checking only the directories above the resolved file would let whoever owns a directory
     * holding a symlink on the way point it at any root-owned file.
     */
    public static void refuseUnsafe(Path file) throws ConfigException, IOException {
        List<Path> visited = new ArrayList<>();
        Set<Path> symlinks = new HashSet<>();
        Path real = CanonicalPaths.walk(file.toAbsolutePath(), (path, symlink) -> {
            visited.add(path);
            if (symlink) {
                symlinks.add(path);
            }
        });
        for (Path path : visited) {
            Map<String, Object> attributes = Files.readAttributes(path, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
            int uid = (Integer) attributes.get("uid");
            int mode = (Integer) attributes.get("mode");
            if (symlinks.contains(path)) {
                if (uid != 0 && isSticky(path.getParent())) {
                    throw new ConfigException(file, 0, "symlink " + path + " on the way to the whitelist is owned by uid " + uid
                            + ", not root, in the sticky directory " + path.getParent());
                }
                continue;
            }
            String what = path.equals(real) ? "the whitelist " + real : "directory " + path + " above the whitelist";
            if (uid != 0) {
                throw new ConfigException(file, 0, what + " is owned by uid " + uid + ", not root");
            }
            boolean shielded = !path.equals(real) && (mode & STICKY) != 0;
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !shielded) {
                throw new ConfigException(file, 0, what + " is writable by group or others (mode "
                        + String.format("%04o", mode & 07777) + "): chmod go-w " + path);
            }
        }
        if (!visited.contains(real)) {
            throw new NoSuchFileException(file.toString());
        }
    }

    private static boolean isSticky(Path directory) throws IOException {
        return ((Integer) Files.getAttribute(directory, "unix:mode", LinkOption.NOFOLLOW_LINKS) & STICKY) != 0;
    }

    /** The entries of {@code content} (the file's bytes) as written; a malformed line is refused with its number. */
    public static List<byte[]> parse(Path file, byte[] content) throws ConfigException {
        if (content.length > MAX_BYTES) {
            throw new ConfigException(file, 0, "larger than " + MAX_BYTES + " bytes");
        }
        List<byte[]> paths = new ArrayList<>();
        int lineNumber = 0;
        for (int start = 0; start < content.length; ) {
            int end = start;
            while (end < content.length && content[end] != '\n') {
                end++;
            }
            lineNumber++;
            byte[] line = strip(Arrays.copyOfRange(content, start, end));
            start = end + 1;
            if (line.length == 0 || line[0] == '#') {
                continue;
            }
            String shown = new String(line, java.nio.charset.StandardCharsets.UTF_8);
            if (line[0] != '/') {
                throw new ConfigException(file, lineNumber, "'" + shown + "' is not an absolute path (write the program's full path)");
            }
            if (line.length > MAX_PATH_BYTES || indexOf(line, (byte) 0) >= 0) {
                throw new ConfigException(file, lineNumber, "not a usable path: '" + shown + "'");
            }
            paths.add(line);
        }
        return List.copyOf(paths);
    }

    private static byte[] strip(byte[] line) {
        int from = 0;
        int to = line.length;
        while (from < to && (line[from] == ' ' || line[from] == '\t')) {
            from++;
        }
        while (to > from && (line[to - 1] == ' ' || line[to - 1] == '\t' || line[to - 1] == '\r')) {
            to--;
        }
        return Arrays.copyOfRange(line, from, to);
    }

    private static int indexOf(byte[] bytes, byte value) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
