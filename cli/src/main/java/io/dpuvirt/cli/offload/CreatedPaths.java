package io.dpuvirt.cli.offload;

import io.dpuvirt.common.linux.Errno;
import io.dpuvirt.common.linux.FileCalls;
import io.dpuvirt.common.linux.LinuxException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Directories and files {@code up} creates, and how {@code down} removes them: a directory only when nothing but
 * (empty) directories is left in it, a configuration file only when nothing is left in it. What someone put there
 * since is never removed.
 */
final class CreatedPaths {
    private static final Set<PosixFilePermission> DIRECTORY_MODE = PosixFilePermissions.fromString("rwxr-xr-x");

    private CreatedPaths() {
    }

    /** The levels of {@code directory} that do not exist, outermost first. */
    static List<Path> missingDirectories(Path directory) {
        List<Path> missing = new ArrayList<>();
        for (Path level = directory.toAbsolutePath(); level != null && !Files.exists(level); level = level.getParent()) {
            missing.addFirst(level);
        }
        return missing;
    }

    /**
     * Creates {@code levels} (as {@link #missingDirectories} lists them), mode 0755 whatever the umask; returns those
     * this call created. A level made meanwhile by another (a second first-time up) is taken as it is.
     */
    static List<Path> makeDirectories(List<Path> levels) throws IOException {
        List<Path> created = new ArrayList<>();
        for (Path level : levels) {
            try {
                Files.createDirectory(level);
            } catch (FileAlreadyExistsException e) {
                if (Files.isDirectory(level, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                throw e;
            }
            Files.setPosixFilePermissions(level, DIRECTORY_MODE);
            created.add(level);
        }
        return created;
    }

    /** {@code directory} made if it is missing, each level recorded first. */
    static Outcome ensureDirectory(Path directory, Journal journal) throws IOException, OffloadException {
        if (Files.isDirectory(directory)) {
            return Outcome.unchanged("ok", "directory " + directory + " is there");
        }
        make(directory, journal);
        return Outcome.changed("created", "directory " + directory);
    }

    /** The directory {@code file} goes in, made (and recorded) if it is missing. */
    static void ensureParent(Path file, Journal journal) throws IOException, OffloadException {
        Path parent = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(parent)) {
            make(parent, journal);
        }
    }

    private static void make(Path directory, Journal journal) throws IOException, OffloadException {
        for (Path level = directory.toAbsolutePath(); level != null; level = level.getParent()) {
            if (Files.exists(level) && !Files.isDirectory(level)) {
                throw new OffloadException(level + " exists and is not a directory: " + directory + " cannot be made");
            }
        }
        List<Path> missing = missingDirectories(directory);
        for (Path level : missing) {
            journal.record(new Change.CreatedDirectory(level));
        }
        makeDirectories(missing);
    }

    /** Records that {@code file} is about to be created when it does not exist yet. */
    static void recordIfNew(Path file, Journal journal) throws IOException {
        if (!Files.exists(file)) {
            journal.record(new Change.CreatedFile(file));
        }
    }

    /**
     * down: removes {@code directory} with the empty directories in it, unless anything else is in it. Entries may
     * come and go meanwhile (guests start and end while down runs): one that went is fine.
     */
    static Outcome removeDirectory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            return Outcome.unchanged("gone", "directory " + directory + " (already)");
        }
        Optional<Path> content = firstNonDirectory(directory);
        if (content.isPresent()) {
            return Outcome.unchanged("kept", "directory " + directory + ": it holds " + content.get());
        }
        try {
            removeDirectories(directory);
        } catch (DirectoryNotEmptyException e) {
            return Outcome.unchanged("kept", "directory " + directory + ": something was put in " + e.getFile()
                    + " while down removed it");
        }
        return Outcome.changed("removed", "directory " + directory);
    }

    /**
     * down: removes {@code directory} only if it is empty (rmdir(2), so never a file that took its place): whatever is
     * in it, an empty directory included, is someone else's.
     */
    static Outcome removeEmptyDirectory(Path directory) throws IOException {
        try {
            FileCalls.unlinkat(FileCalls.AT_FDCWD, directory.toString(), FileCalls.AT_REMOVEDIR);
        } catch (LinuxException e) {
            if (e.is(Errno.ENOENT)) {
                return Outcome.unchanged("gone", "directory " + directory + " (already)");
            }
            if (e.is(Errno.ENOTEMPTY)) {
                return Outcome.unchanged("kept", "directory " + directory + ": " + firstEntry(directory));
            }
            throw e;
        }
        return Outcome.changed("removed", "directory " + directory);
    }

    /** down: removes a configuration file {@code up} created, unless something is left in it. */
    static Outcome removeFileIfBlank(Path file) throws IOException {
        if (!Files.exists(file)) {
            return Outcome.unchanged("gone", file + " (already)");
        }
        if (!Files.readString(file).isBlank()) {
            return Outcome.unchanged("kept", file + ": it holds entries others added");
        }
        Files.delete(file);
        return Outcome.changed("removed", file.toString());
    }

    /** "it holds ENTRY", naming what {@code directory} holds first; it may have been emptied since rmdir failed. */
    private static String firstEntry(Path directory) {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.findFirst().map(entry -> "it holds " + entry).orElse("it was not empty");
        } catch (IOException | UncheckedIOException e) {
            return "it was not empty";
        }
    }

    private static Optional<Path> firstNonDirectory(Path directory) throws IOException {
        List<Path> found = new ArrayList<>();
        Files.walkFileTree(directory, new SkippingGone() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                found.add(file);
                return FileVisitResult.TERMINATE;
            }
        });
        return found.stream().findFirst();
    }

    /** Deletes the directories of {@code directory}'s tree, deepest first; a file put in one meanwhile is left, and stops it. */
    private static void removeDirectories(Path directory) throws IOException {
        Files.walkFileTree(directory, new SkippingGone() {
            @Override
            public FileVisitResult postVisitDirectory(Path level, IOException e) throws IOException {
                super.postVisitDirectory(level, e);
                Files.deleteIfExists(level);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** A walk that skips what went while it walked; any other failure ends it (as an IOException, never unchecked). */
    private static class SkippingGone extends SimpleFileVisitor<Path> {
        @Override
        public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
            if (e instanceof NoSuchFileException) {
                return FileVisitResult.CONTINUE;
            }
            throw e;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path level, IOException e) throws IOException {
            return e == null ? FileVisitResult.CONTINUE : visitFileFailed(level, e);
        }
    }
}
