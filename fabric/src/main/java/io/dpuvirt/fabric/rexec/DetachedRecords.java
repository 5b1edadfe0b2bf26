package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The registry of detached programs on disk ({@code <socket>.detached/<pid>}, see {@link DetachedRecord}), so that
 * a server started after this one, cleanly or after a kill -9, finds them. Each file is replaced atomically; a
 * reader sees a whole record or none. Not fsynced: the directory is under /run, which a reboot clears, and after a
 * reboot no recorded process exists anyway.
 */
final class DetachedRecords {
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");

    private final Path directory;

    DetachedRecords(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    void write(DetachedRecord record) {
        try {
            AtomicFiles.replace(file(record.program().pid()), record.format().getBytes(StandardCharsets.UTF_8), PRIVATE);
        } catch (IOException e) {
            Log.warn("cannot record detached " + record.program() + " in " + directory + ": " + e.getMessage()
                    + "; a restarted server will not know it");
        }
    }

    void remove(int pid) {
        try {
            Files.deleteIfExists(file(pid));
        } catch (IOException e) {
            Log.warn("cannot remove the record of detached pid " + pid + ": " + e.getMessage());
        }
    }

    /** Every record; files that are not records (a malformed one, a write a crash interrupted) are removed. */
    List<DetachedRecord> readAll() throws IOException {
        List<DetachedRecord> records = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                try {
                    if (!name.matches("\\d{1,10}")) {
                        throw new IllegalArgumentException("not named by a pid");
                    }
                    records.add(DetachedRecord.parse(Integer.parseInt(name), Files.readString(file)));
                } catch (IllegalArgumentException e) {
                    Log.warn("removing " + file + ": " + e.getMessage());
                    Files.delete(file);
                }
            }
        }
        return records;
    }

    private Path file(int pid) {
        return directory.resolve(Integer.toString(pid));
    }
}
