package io.dpuvirt.cli.offload;

import io.dpuvirt.common.fs.AtomicFiles;
import io.dpuvirt.common.linux.ProcessStat;
import io.dpuvirt.virt.host.ProcessId;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * A daemon's pid file ({@code /run/dpuvirt/offload/NAME.pid}): {@code PID START-TIME}, the start time being field 22
 * of /proc/PID/stat, so that a pid the kernel has since given to another process is never taken for the daemon.
 */
record PidFile(String name, Path file) {
    /** The pid file of daemon {@code name} in {@code directory}. */
    static PidFile of(Path directory, String name) {
        return new PidFile(name, directory.resolve(name + ".pid"));
    }

    void write(ProcessId process) throws IOException {
        AtomicFiles.replace(file, (process.pid() + " " + process.startTime() + "\n").getBytes(StandardCharsets.US_ASCII),
                PosixFilePermissions.fromString("rw-r--r--"));
    }

    void delete() throws IOException {
        Files.deleteIfExists(file);
    }

    /** Whether the daemon the file names runs, and a sentence saying so or saying precisely why not. */
    Status status() {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.US_ASCII).strip();
        } catch (NoSuchFileException e) {
            return notRunning("no pid file " + file);
        } catch (IOException e) {
            return notRunning("cannot read its pid file " + file + ": " + e.getMessage());
        }
        if (!text.matches("[1-9][0-9]{0,9} [0-9]{1,19}")) {
            return notRunning("its pid file " + file + " holds '" + text + "', not 'PID START-TIME'");
        }
        String[] fields = text.split(" ");
        ProcessId process = new ProcessId(Integer.parseInt(fields[0]), Long.parseLong(fields[1]));
        Optional<ProcessStat> stat = ProcessStat.read(process.pid());
        String names = "pid file " + file + " names pid " + process.pid() + ", which ";
        if (stat.isEmpty()) {
            return notRunning(names + "is gone");
        }
        if (stat.get().startTime() != process.startTime()) {
            return notRunning(names + "is another process now (started at " + stat.get().startTime() + ", not "
                    + process.startTime() + ")");
        }
        if (stat.get().ended()) {
            return notRunning(names + "has ended");
        }
        return new Status(Optional.of(process), name + " runs (pid " + process.pid() + ")");
    }

    private Status notRunning(String why) {
        return new Status(Optional.empty(), name + " is not running (" + why + ")");
    }

    /** The daemon, if it runs, and a sentence about it. */
    record Status(Optional<ProcessId> process, String text) {
    }
}
