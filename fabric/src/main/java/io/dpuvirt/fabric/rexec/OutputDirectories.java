package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.fs.CanonicalPaths;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.Libc;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static io.dpuvirt.common.linux.OpenFlags.O_APPEND;
import static io.dpuvirt.common.linux.OpenFlags.O_CLOEXEC;
import static io.dpuvirt.common.linux.OpenFlags.O_CREAT;
import static io.dpuvirt.common.linux.OpenFlags.O_NONBLOCK;
import static io.dpuvirt.common.linux.OpenFlags.O_WRONLY;

/**
 * Where detached programs' stdout and stderr files may be (rexec_server {@code --output-dir}, /var/log by default).
 * A client that could name any file would make a whitelisted program write wherever it likes: a program's error
 * messages quote its arguments, and one line appended to /etc/cron.d is a root shell. The path is checked in its
 * canonical form before the file is created; that path is opened with no symlink allowed on it (openat2), and the
 * file actually opened is checked again (/proc/self/fd), so neither {@code ..} nor a symlink, even one swapped in
 * between, leads out. It must be a regular file, opened without waiting: a FIFO would hold the connection's thread. Missing directories between the output
 * directory and the file are made (0755), walking down from the output directory without following symlinks.
 */
final class OutputDirectories {
    private static final int DIRECTORY_MODE = 0755;
    private static final ByteString DEV_NULL = ByteString.of("/dev/null");

    private final AllowedDirectories directories;

    OutputDirectories(List<Path> directories) {
        this.directories = new AllowedDirectories(directories);
    }

    /** Opens {@code path} for appending (created 0600), or /dev/null for an empty path (or that one); close-on-exec. */
    int open(ByteString path, String program, String stream) throws SpawnFailedException {
        if (path.length() == 0 || path.equals(DEV_NULL)) {
            return openForAppending(DEV_NULL.toString(), program, stream);
        }
        String requested = path.toString();
        Path canonical = resolve(() -> CanonicalPaths.canonical(Path.of(requested)), program, stream, requested);
        if (!directories.holdsBeneath(canonical)) {
            throw outside(program, stream, requested); // before the file is created where it must not be
        }
        makeDirectoriesTo(canonical, requested, program, stream);
        int fd = openFileForAppending(canonical, program, stream, requested);
        try {
            if (!directories.holdsBeneath(resolve(() -> AllowedDirectories.opened(fd), program, stream, requested))) {
                throw outside(program, stream, requested);
            }
            if (!Files.isRegularFile(Path.of("/proc/self/fd/" + fd))) {
                throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": its " + stream + " " + requested
                        + " is not a regular file on the server");
            }
            Libc.setNonBlocking(fd, false);
            return fd;
        } catch (SpawnFailedException e) {
            Libc.close(fd);
            throw e;
        } catch (LinuxException e) {
            Libc.close(fd);
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot open its " + stream + " on the server: " + e.getMessage());
        }
    }

    /**
     * Opens the checked path and no other: no symlink anywhere on it (a canonical path has none, so one swapped in
     * since the check is refused), and without waiting (a FIFO put there would hold this connection's thread).
     */
    private static int openFileForAppending(Path canonical, String program, String stream, String requested) throws SpawnFailedException {
        try {
            return FileCalls.openWithoutSymlinks(canonical.toString(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
        } catch (LinuxException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot open its " + stream + " " + requested
                    + " on the server: " + e.getMessage());
        }
    }

    /** Makes what is missing of the directories between the output directory holding {@code canonical} and it. */
    private void makeDirectoriesTo(Path canonical, String requested, String program, String stream) throws SpawnFailedException {
        Path parent = canonical.getParent();
        if (Files.isDirectory(parent, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Path root = directories.holding(canonical).orElseThrow(() -> outside(program, stream, requested));
        List<String> names = new ArrayList<>();
        root.relativize(parent).forEach(name -> names.add(name.toString()));
        try {
            FileOperations.createDirectories(new FileAreas.Location(requested, root, names), DIRECTORY_MODE);
        } catch (IOException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot make the directory of its " + stream
                    + " " + requested + " on the server: " + e.getMessage());
        }
    }

    private interface PathLookup {
        Path find() throws IOException;
    }

    private static Path resolve(PathLookup lookup, String program, String stream, String requested) throws SpawnFailedException {
        try {
            return lookup.find();
        } catch (IOException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": its " + stream + " " + requested + ": " + e.getMessage());
        }
    }

    private static int openForAppending(String path, String program, String stream) throws SpawnFailedException {
        try {
            return Libc.open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
        } catch (LinuxException e) {
            throw new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": cannot open its " + stream + " on the server: " + e.getMessage());
        }
    }

    private SpawnFailedException outside(String program, String stream, String requested) {
        return new SpawnFailedException(ProgramPolicy.NOT_ALLOWED, program + ": its " + stream + " " + requested
                + " is outside the directories for detached programs' output (" + directories.describe() + ")");
    }
}
