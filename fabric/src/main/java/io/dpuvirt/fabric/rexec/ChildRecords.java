package io.dpuvirt.fabric.rexec;

import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.common.log.Log;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The attached programs a server is running, one file each ({@code <pid>} holding the process's start time), so
 * that a server that was killed (-9, a crash) can be followed by one that terminates what its predecessor left
 * running: a restart never leaks programs. The start time tells a leftover from an unrelated process that reused
 * its pid. Detached programs are not here: they are meant to outlive the server ({@link DetachedRecords}).
 */
final class ChildRecords {
    private final Path directory;

    ChildRecords(Path directory) throws IOException {
        this.directory = directory;
        Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    }

    void add(ProgramId program) {
        try {
            Files.writeString(directory.resolve(Integer.toString(program.pid())), Long.toString(program.startTime()));
        } catch (IOException e) {
            Log.warn("cannot record " + program + " in " + directory + ": " + e.getMessage());
        }
    }

    void remove(int pid) {
        try {
            Files.deleteIfExists(directory.resolve(Integer.toString(pid)));
        } catch (IOException e) {
            Log.warn("cannot remove the record of pid " + pid + ": " + e.getMessage());
        }
    }

    /** Terminates the process groups a previous server left: SIGTERM, then SIGKILL after {@code grace}. */
    void terminateLeftovers(Duration grace) throws IOException {
        List<Integer> alive = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.matches("\\d{1,10}") && runs(Integer.parseInt(name), Files.readString(file))) {
                    alive.add(Integer.parseInt(name));
                }
                Files.delete(file);
            }
        }
        if (alive.isEmpty()) {
            return;
        }
        Log.warn("terminating " + alive.size() + " program(s) a previous rexec_server left running: " + alive);
        Termination.terminate(alive, grace);
    }

    private static boolean runs(int pid, String recordedStartTime) {
        return ProcessStat.read(pid).filter(stat -> Long.toString(stat.startTime()).equals(recordedStartTime)).isPresent();
    }
}
